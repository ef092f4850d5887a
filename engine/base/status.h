// Status and Result<T>: the one error currency across modules (leveldb style).
// Operations that can fail return these; nothing throws across a module edge.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace zgtflow {

enum class StatusCode {
  kOk,
  kInvalidArgument,  // Bad input from a caller: wrong type, bad format.
  kNotFound,         // A named thing does not exist.
  kOutOfRange,       // A date outside a calendar's years, a number too large.
  kConflict,         // A stale revision or a duplicate.
  kFailedPrecondition,  // The operation is not allowed in the current state.
  kInternal,         // A broken invariant or an unexpected library error.
  kUnavailable,      // A store or adapter that could not be reached.
};

class Status {
 public:
  Status() = default;  // OK.
  Status(StatusCode code, std::string message, std::string field = "")
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m, std::string field = "") {
    return Status(StatusCode::kInvalidArgument, std::move(m), std::move(field));
  }
  static Status NotFound(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
  static Status OutOfRange(std::string m) { return Status(StatusCode::kOutOfRange, std::move(m)); }
  static Status Internal(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }  // "" when not about a field.

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

// A value or the Status saying why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}            // NOLINT: implicit by design.
  Result(Status status) : status_(std::move(status)) {     // NOLINT
    assert(!status_.ok() && "a Result built from a Status must carry an error");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  const T& value() const& { assert(ok()); return *value_; }
  T& value() & { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  const T& operator*() const { return value(); }
  const T* operator->() const { return &value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace zgtflow

namespace zgtflow {
// "invalid_argument", "not_found", … : the code's stable lower-case name.
const char* StatusCodeName(StatusCode code);
}  // namespace zgtflow
