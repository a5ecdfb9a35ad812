#include "common/text.h"

#include <cstdint>

namespace sagaflow {

namespace {

// The length of the valid UTF-8 sequence at the start of `text`, or 0 if it is not one.
size_t Utf8SequenceLength(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const auto continuation = [&](size_t i) { return i < text.size() && (byte(i) & 0xC0) == 0x80; };
  const uint8_t lead = byte(0);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (!continuation(1) || !continuation(2)) return 0;
    if (lead == 0xE0 && byte(1) < 0xA0) return 0;   // overlong
    if (lead == 0xED && byte(1) >= 0xA0) return 0;  // surrogates
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (!continuation(1) || !continuation(2) || !continuation(3)) return 0;
    if (lead == 0xF0 && byte(1) < 0x90) return 0;   // overlong
    if (lead == 0xF4 && byte(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

bool IsControl(std::string_view sequence) {
  const auto lead = static_cast<uint8_t>(sequence[0]);
  if (sequence.size() == 1) return lead < 0x20 || lead == 0x7F;
  // U+0080-U+009F are C2 80 - C2 9F.
  return sequence.size() == 2 && lead == 0xC2 && static_cast<uint8_t>(sequence[1]) <= 0x9F;
}

}  // namespace

bool HasControlCharacters(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceLength(text.substr(i));
    if (length == 0) return true;  // not text at all
    if (IsControl(text.substr(i, length))) return true;
    i += length;
  }
  return false;
}

std::string EscapeForTerminal(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t length = Utf8SequenceLength(text.substr(i));
    if (length != 0 && !IsControl(text.substr(i, length))) {
      if (text[i] == '\\') out += '\\';
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    // Escape one byte at a time: a control character's bytes, or one byte of invalid UTF-8.
    const size_t bytes = length == 0 ? 1 : length;
    for (size_t j = 0; j < bytes; ++j) {
      const auto byte = static_cast<uint8_t>(text[i + j]);
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    }
    i += bytes;
  }
  return out;
}

}  // namespace sagaflow
