// Percent-encoding of URL query components (RFC 3986). Encode leaves only the unreserved characters
// (A-Z a-z 0-9 - . _ ~) as they are, so any text, hostile or not, travels as one query value. Decode also reads
// '+' as a space (HTML forms send that); a '%' not followed by two hex digits stays as it is, so no input fails.
#pragma once

#include <string>
#include <string_view>

namespace sagaflow {

std::string PercentEncode(std::string_view text);
std::string PercentDecode(std::string_view text);

}  // namespace sagaflow
