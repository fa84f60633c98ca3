// The in-memory form of a parsed text module: every field with names already resolved to
// indices and function bodies and constant expressions already encoded. The binary writer
// turns it into a module binary.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "runtime/value_type.h"

namespace kiln::text {

using Bytes = std::vector<uint8_t>;

struct TextImport {
  std::string module;
  std::string field;
  ExternKind kind = ExternKind::Func;
  uint32_t type_index = 0;  ///< Func
  TableType table;
  MemoryType memory;
  GlobalType global;
};

struct TextGlobal {
  GlobalType type;
  Bytes init;  ///< the constant expression, with its `end`
};

struct TextExport {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

struct TextElem {
  enum class Mode : uint8_t { Active, Passive, Declarative };
  Mode mode = Mode::Passive;
  uint32_t table = 0;
  bool explicit_table = false;  ///< written with a table use (forces the flagged forms)
  Bytes offset;                 ///< Active: the offset expression, with its `end`
  ValType type = ValType::FuncRef;
  bool uses_exprs = false;      ///< items are expressions rather than function indices
  std::vector<uint32_t> funcs;  ///< !uses_exprs
  std::vector<Bytes> exprs;     ///< uses_exprs, each with its `end`
};

struct TextData {
  bool active = false;
  uint32_t memory = 0;
  Bytes offset;  ///< Active: the offset expression, with its `end`
  std::string bytes;
};

struct TextFunc {
  uint32_t type_index = 0;
  std::vector<ValType> locals;  ///< declared locals (not the parameters)
  Bytes body;                   ///< instructions with the final `end`
};

struct TextModule {
  std::vector<FuncType> types;
  std::vector<TextImport> imports;
  std::vector<TextFunc> funcs;
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<TextGlobal> globals;
  std::vector<TextExport> exports;
  std::optional<uint32_t> start;
  std::vector<TextElem> elems;
  std::vector<TextData> datas;
  bool needs_data_count = false;  ///< memory.init or data.drop appear in the code
  /// For the "name" custom section, so that backtraces of text modules show `$names`.
  std::optional<std::string> module_name;
  std::map<uint32_t, std::string> func_names;  ///< function index -> `$id` without the `$`
};

/// Encodes a text module in the binary format (spec chapter 5).
Bytes encode_module(const TextModule& module);

// LEB128 and other primitive writers, shared by the instruction encoder.
void write_u32(Bytes& out, uint32_t value);
void write_s32(Bytes& out, int32_t value);
void write_s64(Bytes& out, int64_t value);
void write_fixed(Bytes& out, uint64_t bits, unsigned bytes);

}  // namespace kiln::text
