#include "http/parse_refusals.h"

#include <boost/beast/http/error.hpp>

namespace sagaflow::http {

namespace beast_http = boost::beast::http;

HttpResponse RequestLineTooLong() {
  return JsonError(414, "the request line is too long");
}

HttpResponse TooManyHeaderFields() {
  return JsonError(431, "the request has too many header fields");
}

std::optional<HttpResponse> RefusalForParseError(boost::beast::error_code error, bool got_request_line) {
  if (error.category() != beast_http::make_error_code(beast_http::error::bad_method).category()) {
    return std::nullopt;
  }
  switch (static_cast<beast_http::error>(error.value())) {
    case beast_http::error::end_of_stream:
    case beast_http::error::partial_message:
    case beast_http::error::need_more:
    case beast_http::error::need_buffer:
    case beast_http::error::end_of_chunk:
    case beast_http::error::stale_parser:
    case beast_http::error::short_read:
      return std::nullopt;  // the client went away or the stream ended: nobody to answer
    case beast_http::error::header_limit:
      return got_request_line ? JsonError(431, "the request header is too large") : RequestLineTooLong();
    case beast_http::error::body_limit:
      return JsonError(413, "the request body is too large");
    case beast_http::error::bad_content_length:
      return JsonError(400, "invalid or conflicting Content-Length");
    case beast_http::error::bad_transfer_encoding:
      return JsonError(400, "invalid Transfer-Encoding, or Transfer-Encoding with Content-Length");
    case beast_http::error::buffer_overflow:
      return JsonError(400, "a chunk-size line or trailer is too long");
    case beast_http::error::bad_chunk:
    case beast_http::error::bad_chunk_extension:
      return JsonError(400, "malformed chunked body");
    default:
      return JsonError(400, "malformed HTTP request");
  }
}

}  // namespace sagaflow::http
