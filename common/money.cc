#include "common/money.h"

#include <cctype>
#include <cstdlib>

namespace sagaflow {

namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

Result<Cents> ParseMoney(std::string_view text) {
  // JSON number grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  size_t i = 0;
  const auto bad = [&] { return Status::InvalidArgument("is not a number"); };
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  std::string digits;  // all significant digits, integer part then fraction
  int fraction_digits = 0;
  if (i >= text.size() || !IsDigit(text[i])) return bad();
  if (text[i] == '0') {
    digits.push_back('0');
    ++i;
  } else {
    while (i < text.size() && IsDigit(text[i])) digits.push_back(text[i++]);
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (i >= text.size() || !IsDigit(text[i])) return bad();
    while (i < text.size() && IsDigit(text[i])) {
      digits.push_back(text[i++]);
      ++fraction_digits;
    }
  }
  long exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i >= text.size() || !IsDigit(text[i])) return bad();
    while (i < text.size() && IsDigit(text[i])) {
      if (exponent < 100000) exponent = exponent * 10 + (text[i] - '0');
      ++i;
    }
    if (exp_negative) exponent = -exponent;
  }
  if (i != text.size()) return bad();

  // value = digits * 10^(exponent - fraction_digits); cents = digits * 10^(exponent - fraction_digits + 2)
  long scale = exponent - fraction_digits + 2;
  // Strip trailing zeros into the scale so "29.990" and "2999e-2" are accepted.
  while (scale < 0 && digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++scale;
  }
  size_t first_nonzero = digits.find_first_not_of('0');
  if (first_nonzero == std::string::npos) return Cents{0};  // zero (also "-0")
  if (negative) return Status::InvalidArgument("must not be negative");
  if (scale < 0) return Status::InvalidArgument("has more than 2 decimals");
  digits.erase(0, first_nonzero);
  if (static_cast<long>(digits.size()) + scale > 17) return Status::InvalidArgument("is too large");
  Cents cents = 0;
  for (char c : digits) cents = cents * 10 + (c - '0');
  for (long s = 0; s < scale; ++s) cents *= 10;
  if (cents > kMaxParsableCents) return Status::InvalidArgument("is too large");
  return cents;
}

std::string FormatMoney(Cents cents) {
  std::string out;
  unsigned long long magnitude =
      cents < 0 ? 0ULL - static_cast<unsigned long long>(cents) : static_cast<unsigned long long>(cents);
  if (cents < 0) out.push_back('-');
  out += std::to_string(magnitude / 100);
  out.push_back('.');
  const unsigned long long fraction = magnitude % 100;
  out.push_back(static_cast<char>('0' + fraction / 10));
  out.push_back(static_cast<char>('0' + fraction % 10));
  return out;
}

Status CheckOrderTotal(Cents cents, const std::string& field) {
  if (cents <= kMaxOrderTotalCents) return Status::Ok();
  return Status::InvalidArgument(field + " must be at most " + FormatMoney(kMaxOrderTotalCents));
}

}  // namespace sagaflow
