// Conversions between Boost.Beast messages and our plain HttpRequest / HttpResponse, so that Beast types
// stay inside the HTTP layer. Pure functions; any thread.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/http_types.h"

namespace sagaflow::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Method, path, query (split on & and =, each name and value percent-decoded), lower-case header names (for a
// repeated field the last wins) and, if `with_body`, the body (moved out of `request`).
HttpRequest ToHttpRequest(BeastRequest& request, bool with_body);

// An HTTP/1.1 response with Content-Length, Content-Type, the handler's headers and, when !keep_alive,
// "Connection: close". A status outside 100..599 becomes a JSON 500: it is a handler bug, not client text.
BeastResponse ToBeastResponse(HttpResponse response, bool keep_alive);

}  // namespace sagaflow::http
