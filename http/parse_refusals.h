// The JSON answers to requests that could not be parsed or broke a framing limit, chosen from Beast's parse
// error and the bytes received so far. Pure functions; any thread.
//
// Every answer is a 4xx with {"error": ...}; none carries text from the request or from an exception.
// After any of them the connection must close: the server no longer knows where the next request starts.
#pragma once

#include <boost/beast/core/error.hpp>
#include <optional>

#include "http/http_types.h"

namespace sagaflow::http {

// nullopt when `error` is not about the request's bytes (a timeout, a reset, end of stream): those end the
// connection without an answer. `got_request_line` tells a header limit hit inside the request line (414)
// from one hit in the fields (431).
std::optional<HttpResponse> RefusalForParseError(boost::beast::error_code error, bool got_request_line);

HttpResponse RequestLineTooLong();
HttpResponse TooManyHeaderFields();

}  // namespace sagaflow::http
