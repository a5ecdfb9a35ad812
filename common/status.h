// Status and Result<T>: errors as values across component boundaries.
//
// A Status is either OK or a code plus a human-readable message. Components catch the exceptions of
// the libraries they wrap (SQLiteCpp, Paho, Boost.Beast, simdjson) and return a Status instead, so callers
// branch on predicates (IsNotFound()) rather than on exception types. Result<T> carries a value or a
// non-OK Status. Both are cheap to move and safe to use from any thread (they are plain values).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace sagaflow {

class Status {
 public:
  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Conflict(std::string msg) { return Status(Code::kConflict, std::move(msg)); }
  static Status Unavailable(std::string msg) { return Status(Code::kUnavailable, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(Code::kIoError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status FailedPrecondition(std::string msg) { return Status(Code::kFailedPrecondition, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  bool IsInvalidArgument() const { return code_ == Code::kInvalidArgument; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsConflict() const { return code_ == Code::kConflict; }
  bool IsUnavailable() const { return code_ == Code::kUnavailable; }
  bool IsIoError() const { return code_ == Code::kIoError; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsFailedPrecondition() const { return code_ == Code::kFailedPrecondition; }

  const std::string& message() const { return message_; }
  // "OK" or "<Code name>: <message>", for logs.
  std::string ToString() const;

 private:
  enum class Code {
    kOk,
    kInvalidArgument,
    kNotFound,
    kConflict,
    kUnavailable,
    kIoError,
    kCorruption,
    kFailedPrecondition
  };
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}

  Code code_ = Code::kOk;
  std::string message_;
};

// Result<T>: a T, or the Status saying why there is none. Constructing from an OK Status is a bug.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}        // NOLINT(google-explicit-constructor): reads like `return x;`
  Result(Status status) : value_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(value_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace sagaflow
