// WebAssembly types (spec section 2.3): value types, function types, limits, and the types
// of tables, memories and globals. Enumerator values are the binary encodings.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace kiln {

enum class ValType : uint8_t {
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FuncRef = 0x70,
  ExternRef = 0x6f,
};

/// The value type a binary byte encodes, if any.
std::optional<ValType> val_type_from_byte(uint8_t byte);
/// The text-format name ("i32", "funcref", ...).
std::string_view val_type_name(ValType type);
inline bool is_reference(ValType type) {
  return type == ValType::FuncRef || type == ValType::ExternRef;
}
inline bool is_numeric(ValType type) { return !is_reference(type) && type != ValType::V128; }

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};

struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  friend bool operator==(const Limits&, const Limits&) = default;
};

struct TableType {
  ValType element = ValType::FuncRef;
  Limits limits;
  friend bool operator==(const TableType&, const TableType&) = default;
};

struct MemoryType {
  Limits limits;  ///< in 64 KiB pages
  friend bool operator==(const MemoryType&, const MemoryType&) = default;
};

struct GlobalType {
  ValType type = ValType::I32;
  bool mutable_ = false;
  friend bool operator==(const GlobalType&, const GlobalType&) = default;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3 };

}  // namespace kiln
