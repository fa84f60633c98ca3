// Result<T> and Error: how every component of Kiln reports failure without exceptions.
// An Error carries what went wrong in the spec suite's words, where (a byte offset into the
// binary or the text), and which phase rejected the input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace kiln {

/// The phase that rejected an input; the spec's assertions distinguish them.
enum class ErrorKind : unsigned char {
  Malformed,  ///< cannot be decoded or parsed (binary or text syntax)
  Invalid,    ///< decodes, but fails validation
  Io,         ///< a file could not be read
  Unlinkable, ///< imports do not match ("unknown import", "incompatible import type")
  Trap,       ///< execution trapped (Error::trap says which kind, backtrace where)
  Other,
};

/// The kinds of trap (spec 4.4), each with the spec suite's message (trap_message()).
enum class TrapCode : unsigned char {
  None,
  Unreachable,              ///< "unreachable"
  MemoryOutOfBounds,        ///< "out of bounds memory access"
  TableOutOfBounds,         ///< "out of bounds table access"
  UndefinedElement,         ///< "undefined element" (call_indirect index past the table)
  UninitializedElement,     ///< "uninitialized element" (call_indirect on null)
  IndirectCallTypeMismatch, ///< "indirect call type mismatch"
  IntegerDivideByZero,      ///< "integer divide by zero"
  IntegerOverflow,          ///< "integer overflow"
  InvalidConversion,        ///< "invalid conversion to integer"
  StackExhausted,           ///< "call stack exhausted"
  Interrupted,              ///< "interrupted"
  FuelExhausted,            ///< "fuel exhausted"
  Host,                     ///< a host function trapped; the message is the host's
};

/// The spec suite's text for a trap code ("" for None and Host).
const char* trap_message(TrapCode code);

/// One wasm frame of a trap's backtrace, innermost first.
struct BacktraceFrame {
  uint32_t func_index = 0;
  std::string name;        ///< from the name section, or empty
  size_t code_offset = 0;  ///< byte offset in the module binary of the trapping instruction
};

/// A failure: the spec's message text (e.g. "type mismatch") and the byte offset where it
/// was detected.
struct Error {
  Error() = default;
  Error(ErrorKind kind_, size_t offset_, std::string message_)
      : kind(kind_), offset(offset_), message(std::move(message_)) {}

  ErrorKind kind = ErrorKind::Other;
  size_t offset = 0;
  std::string message;
  TrapCode trap = TrapCode::None;         ///< kind == Trap
  std::vector<BacktraceFrame> backtrace;  ///< kind == Trap: wasm frames, innermost first
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
/// A trap error with the code's spec message (no backtrace yet).
inline Error trap_error(TrapCode code) {
  Error error(ErrorKind::Trap, 0, trap_message(code));
  error.trap = code;
  return error;
}

}  // namespace kiln
