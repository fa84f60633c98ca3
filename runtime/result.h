// Result<T> and Error: how every component of Kiln reports failure without exceptions.
// An Error carries what went wrong in the spec suite's words, where (a byte offset into the
// binary or the text), and which phase rejected the input.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace kiln {

/// The phase that rejected an input; the spec's assertions distinguish them.
enum class ErrorKind : unsigned char {
  Malformed,  ///< cannot be decoded or parsed (binary or text syntax)
  Invalid,    ///< decodes, but fails validation
  Io,         ///< a file could not be read
  Other,
};

/// A failure: the spec's message text (e.g. "type mismatch") and the byte offset where it
/// was detected.
struct Error {
  ErrorKind kind = ErrorKind::Other;
  size_t offset = 0;
  std::string message;
};

/// Either a value or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}              // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}          // NOLINT(google-explicit-constructor)

  bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

/// Result of an operation that yields nothing on success.
struct Ok {};
using Status = Result<Ok>;

inline Error malformed(size_t offset, std::string message) {
  return Error{ErrorKind::Malformed, offset, std::move(message)};
}
inline Error invalid(size_t offset, std::string message) {
  return Error{ErrorKind::Invalid, offset, std::move(message)};
}

}  // namespace kiln
