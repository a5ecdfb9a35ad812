// Tests use the project's HTTP client (http/client/http_client.h) under the testing namespace.
#pragma once

#include "http/client/http_client.h"

namespace sagaflow::testing {
using http::HttpClient;
using http::HttpResult;
}  // namespace sagaflow::testing
