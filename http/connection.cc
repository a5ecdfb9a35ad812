#include "http/connection.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <iterator>
#include <string_view>

#include "http/parse_refusals.h"

namespace sagaflow::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;

namespace {

constexpr size_t kReadSize = 16 << 10;
// Long enough for a client to read a refusal it was still writing past; short enough not to matter.
constexpr std::chrono::milliseconds kDrainTime{1000};
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, const ConnectionContext& context)
    : stream_(std::move(socket)),
      context_(context),
      // Beast bounds the header but not a chunk-size line or its extensions: without a limit on the buffer
      // one endless "1;aaaa..." line grows memory until the body timeout.
      buffer_(context.options.max_header_bytes + kReadSize) {
  ++context_.open_connections;
}

Connection::~Connection() {
  --context_.open_connections;
}

void Connection::Run() {
  asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->AwaitRequest(); });
}

void Connection::AwaitRequest() {
  if (buffer_.size() > 0) return ReadHeader();  // a pipelined request is already here
  // Waiting for a request to start: a fresh connection gets the header timeout, a kept-alive one the idle
  // timeout. Either way the header itself then gets header_timeout from its first byte.
  stream_.expires_after(first_request_ ? context_.options.header_timeout : context_.options.idle_timeout);
  waiting_for_request_ = true;
  idle_token_ = context_.idle.Add(weak_from_this());
  stream_.async_read_some(buffer_.prepare(kReadSize),
                          [self = shared_from_this()](beast::error_code error, size_t bytes) {
                            self->waiting_for_request_ = false;
                            self->context_.idle.Remove(self->idle_token_);
                            self->buffer_.commit(bytes);
                            if (error) return;  // closed, reset, evicted or idle too long: the socket dies with us
                            self->ReadHeader();
                          });
}

void Connection::Evict() {
  asio::post(stream_.get_executor(), [self = shared_from_this()] {
    // A request may have started since the listener chose this connection: then it is not idle any more.
    if (self->waiting_for_request_) self->stream_.close();
  });
}

void Connection::ReadHeader() {
  parser_.emplace();
  parser_->header_limit(static_cast<uint32_t>(context_.options.max_header_bytes));
  parser_->body_limit(context_.options.max_body_bytes);
  stream_.expires_after(context_.options.header_timeout);
  beast_http::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code error, size_t) { self->OnHeader(error); });
}

bool Connection::GotRequestLine() {
  // Beast hands the message its method as soon as the request line is parsed, before the fields.
  return !parser_->get().method_string().empty();
}

std::optional<HttpResponse> Connection::CheckHead() {
  auto& request = parser_->get();
  const size_t request_line =
      request.method_string().size() + request.target().size() + std::string_view(" HTTP/1.1").size() + 1;
  if (request_line > context_.options.max_request_line_bytes) return RequestLineTooLong();
  if (static_cast<size_t>(std::distance(request.begin(), request.end())) > context_.options.max_header_count) {
    return TooManyHeaderFields();
  }
  // Beast frames a body only by Content-Length or a final "chunked"; any other Transfer-Encoding would leave
  // the body to be read as the next request (request smuggling), so it is refused.
  if (request.count(beast_http::field::transfer_encoding) > 0 && !parser_->chunked()) {
    return JsonError(400, "only Transfer-Encoding: chunked is supported");
  }
  HttpRequest head = ToHttpRequest(request, false);
  return context_.gate.Refusal(head, request.count(beast_http::field::host));
}

void Connection::OnHeader(beast::error_code error) {
  if (error) {
    auto refusal = RefusalForParseError(error, GotRequestLine());
    if (refusal) Refuse(std::move(*refusal));
    return;  // otherwise timed out or gone: the socket dies with us
  }
  if (auto refusal = CheckHead()) return Refuse(std::move(*refusal));
  const auto expect = parser_->get()[beast_http::field::expect];
  if (!parser_->is_done() && beast::iequals(expect, "100-continue")) {
    // curl waits a second for this before sending a body over 1 KiB.
    asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                      [self = shared_from_this()](beast::error_code write_error, size_t) {
                        if (!write_error) self->ReadBody();
                      });
    return;
  }
  ReadBody();
}

void Connection::ReadBody() {
  if (parser_->is_done()) return Respond();
  stream_.expires_after(context_.options.body_timeout);
  beast_http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code error, size_t) { self->OnBody(error); });
}

void Connection::OnBody(beast::error_code error) {
  if (error) {
    auto refusal = RefusalForParseError(error, GotRequestLine());
    if (refusal) Refuse(std::move(*refusal));
    return;
  }
  Respond();
}

void Connection::Respond() {
  auto& request = parser_->get();
  const bool keep_alive = request.keep_alive();
  HttpResponse response;
  try {
    response = context_.handler(ToHttpRequest(request, true));
  } catch (const std::exception& e) {
    context_.logger->error("HTTP handler failed: {}", e.what());
    response = JsonError(500, "internal error");
  } catch (...) {
    context_.logger->error("HTTP handler failed with a non-standard exception");
    response = JsonError(500, "internal error");
  }
  Send(std::move(response), keep_alive);
}

void Connection::Send(HttpResponse response, bool keep_alive) {
  response_ = ToBeastResponse(std::move(response), keep_alive);
  // A client that does not read its answer is as stalled as one that does not send its body.
  stream_.expires_after(context_.options.body_timeout);
  beast_http::async_write(stream_, response_, [self = shared_from_this(), keep_alive](beast::error_code error, size_t) {
    if (error) return;
    if (!keep_alive) return self->CloseGracefully();
    self->first_request_ = false;
    self->AwaitRequest();
  });
}

void Connection::CloseGracefully() {
  beast::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
  buffer_.clear();
  stream_.expires_after(kDrainTime);
  Drain();
}

void Connection::Drain() {
  stream_.async_read_some(buffer_.prepare(kReadSize), [self = shared_from_this()](beast::error_code error, size_t) {
    if (!error) self->Drain();  // discarded: nothing of it is ever committed
  });
}

}  // namespace sagaflow::http
