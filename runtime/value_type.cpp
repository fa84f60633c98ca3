// Encodings and names of value types.
#include "runtime/value_type.h"

namespace kiln {

std::optional<ValType> val_type_from_byte(uint8_t byte) {
  switch (byte) {
    case 0x7f: return ValType::I32;
    case 0x7e: return ValType::I64;
    case 0x7d: return ValType::F32;
    case 0x7c: return ValType::F64;
    case 0x7b: return ValType::V128;
    case 0x70: return ValType::FuncRef;
    case 0x6f: return ValType::ExternRef;
    default: return std::nullopt;
  }
}

std::string_view val_type_name(ValType type) {
  switch (type) {
    case ValType::I32: return "i32";
    case ValType::I64: return "i64";
    case ValType::F32: return "f32";
    case ValType::F64: return "f64";
    case ValType::V128: return "v128";
    case ValType::FuncRef: return "funcref";
    case ValType::ExternRef: return "externref";
  }
  return "?";
}

}  // namespace kiln
