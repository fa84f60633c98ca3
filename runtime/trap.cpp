// The spec suite's message for each kind of trap.
#include "runtime/result.h"

namespace kiln {

const char* trap_message(TrapCode code) {
  switch (code) {
    case TrapCode::None: return "";
    case TrapCode::Unreachable: return "unreachable";
    case TrapCode::MemoryOutOfBounds: return "out of bounds memory access";
    case TrapCode::TableOutOfBounds: return "out of bounds table access";
    case TrapCode::UndefinedElement: return "undefined element";
    case TrapCode::UninitializedElement: return "uninitialized element";
    case TrapCode::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapCode::IntegerDivideByZero: return "integer divide by zero";
    case TrapCode::IntegerOverflow: return "integer overflow";
    case TrapCode::InvalidConversion: return "invalid conversion to integer";
    case TrapCode::StackExhausted: return "call stack exhausted";
    case TrapCode::Interrupted: return "interrupted";
    case TrapCode::FuelExhausted: return "fuel exhausted";
    case TrapCode::Host: return "";
  }
  return "";
}

}  // namespace kiln
