#include "common/time_format.h"

#include <charconv>
#include <cstdio>
#include <ctime>

namespace sagaflow {

std::string FormatIso8601(TimePoint t) {
  const int64_t ms = ToEpochMillis(t);
  int64_t seconds = ms / 1000;
  int64_t millis = ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }
  const std::time_t tt = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(millis));
  return buf;
}

namespace {

bool ParseDigits(std::string_view text, size_t pos, size_t count, int& out) {
  if (pos + count > text.size()) return false;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;  // from_chars would accept a '-'
  }
  const char* first = text.data() + pos;
  const char* last = first + count;
  auto [ptr, ec] = std::from_chars(first, last, out);
  return ec == std::errc() && ptr == last;
}

}  // namespace

Result<TimePoint> ParseIso8601(std::string_view text) {
  // 2024-01-15T10:30:00.000Z
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (text.size() != 24 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
      text[19] != '.' || text[23] != 'Z' || !ParseDigits(text, 0, 4, year) || !ParseDigits(text, 5, 2, month) ||
      !ParseDigits(text, 8, 2, day) || !ParseDigits(text, 11, 2, hour) || !ParseDigits(text, 14, 2, minute) ||
      !ParseDigits(text, 17, 2, second) || !ParseDigits(text, 20, 3, millis)) {
    return Status::InvalidArgument("not an ISO-8601 UTC timestamp: " + std::string(text));
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t seconds = timegm(&tm);
  const TimePoint t = FromEpochMillis(static_cast<int64_t>(seconds) * 1000 + millis);
  // timegm normalizes out-of-range fields (month 13, February 30): accept only what formats back the same.
  if (FormatIso8601(t) != text) return Status::InvalidArgument("not a valid UTC instant: " + std::string(text));
  return t;
}

}  // namespace sagaflow
