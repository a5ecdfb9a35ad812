#include "readmodel/paging.h"

#include "readmodel/saga_records.h"

namespace sagaflow::readmodel {

namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

std::optional<std::string> FromHex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string text;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const size_t high = kHexDigits.find(hex[i]);
    const size_t low = kHexDigits.find(hex[i + 1]);
    if (high == std::string_view::npos || low == std::string_view::npos) return std::nullopt;
    text += static_cast<char>(high * 16 + low);
  }
  return text;
}

}  // namespace

Status CheckPageSize(int size) {
  if (size >= 1 && size <= kMaxPageSize) return Status::Ok();
  return Status::InvalidArgument("page size " + std::to_string(size) + " is not from 1 to " +
                                 std::to_string(kMaxPageSize));
}

std::string EncodeCursor(const std::vector<std::string>& parts) {
  std::string cursor;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) cursor += '.';
    for (const unsigned char byte : parts[i]) {
      cursor += kHexDigits[byte / 16];
      cursor += kHexDigits[byte % 16];
    }
  }
  return cursor;
}

std::optional<std::vector<std::string>> DecodeCursor(std::string_view cursor, size_t count) {
  std::vector<std::string> parts;
  while (true) {
    const size_t dot = cursor.find('.');
    auto part = FromHex(cursor.substr(0, dot));
    if (!part) return std::nullopt;
    parts.push_back(std::move(*part));
    if (dot == std::string_view::npos) break;
    cursor.remove_prefix(dot + 1);
  }
  if (parts.size() != count) return std::nullopt;
  return parts;
}

}  // namespace sagaflow::readmodel
