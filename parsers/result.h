// Errors as values at module boundaries.
//
// A Result<T> holds either a value or a message a person can act on ("bank-holidays.json: line 3:
// expected an object"). Status is Result<void>'s spelling. Both are cheap to move and carry no
// exception: adapters around third-party code catch what it throws and return one of these.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace complaints {

class Status {
 public:
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  // Precondition: !ok().
  const std::string& error() const { return *error_; }

 private:
  Status() = default;
  explicit Status(std::string message) : error_(std::move(message)) {}
  std::optional<std::string> error_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}       // NOLINT(google-explicit-constructor)
  Result(Status error) : error_(std::move(error)) {}  // NOLINT: Precondition: !error.ok().

  static Result Error(std::string message) { return Result(Status::Error(std::move(message))); }

  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  // Preconditions: ok(). On a temporary these return the value itself, so that
  // `for (auto& x : *Load())` cannot dangle.
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T value() && { return std::move(*value_); }
  const T& operator*() const& { return *value_; }
  T operator*() && { return std::move(*value_); }
  const T* operator->() const { return &*value_; }
  // Precondition: !ok().
  const std::string& error() const { return error_.error(); }
  const Status& status() const { return error_; }

 private:
  std::optional<T> value_;
  Status error_ = Status::Ok();
};

}  // namespace complaints
