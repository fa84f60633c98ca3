// The validated, immutable module (spec section 2.5) that every tier works from. It owns a
// copy of the binary; function bodies and data segments refer into it by byte range.
// Produced only by decode_module (decoder.h), so holding one means it is valid.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/opcodes.h"
#include "runtime/value_type.h"

namespace kiln {

/// A byte range [offset, offset + size) of Module::bytes.
struct ByteRange {
  uint32_t offset = 0;
  uint32_t size = 0;
};

/// One instruction of a constant expression. For Wasm 2.0 an initializer is a single
/// instruction; the list form leaves room for extended constant expressions.
struct ConstInstr {
  Opcode op = Opcode::I32Const;
  uint64_t bits = 0;       ///< the constant's bits for *.const (f32/f64 as raw bits)
  uint64_t bits_high = 0;  ///< the upper 64 bits of a v128.const
  uint32_t index = 0;      ///< global.get / ref.func index
  ValType ref_type = ValType::FuncRef;  ///< ref.null's type
};
struct ConstExpr {
  std::vector<ConstInstr> instrs;
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t func_type = 0;  ///< kind == Func: type index
  TableType table;         ///< kind == Table
  MemoryType memory;       ///< kind == Memory
  GlobalType global;       ///< kind == Global
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

/// A function defined in the module (imports are not in Module::functions).
struct Function {
  uint32_t type_index = 0;
  ByteRange body;                ///< the whole body: local declarations and code
  uint32_t code_offset = 0;      ///< where the instructions start (after the locals)
  std::vector<ValType> locals;   ///< declared locals, expanded (parameters not included)
  uint32_t max_stack_height = 0;  ///< operand-stack slots needed, found by validation
  uint32_t max_control_depth = 0;
};

struct Global {
  GlobalType type;
  ConstExpr init;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Active;
  ValType type = ValType::FuncRef;
  uint32_t table = 0;
  ConstExpr offset;                 ///< active segments only
  std::vector<ConstExpr> elements;  ///< one expression per element (ref.func x, ref.null t, ...)
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Active;  ///< Active or Passive
  uint32_t memory = 0;
  ConstExpr offset;  ///< active segments only
  ByteRange bytes;
};

struct CustomSection {
  std::string name;
  ByteRange contents;
};

/// What the "name" custom section says, where it parsed; a malformed name section is
/// ignored as the spec allows, never an error.
struct NameSection {
  std::optional<std::string> module;
  std::map<uint32_t, std::string> functions;                         ///< by function index
  std::map<uint32_t, std::map<uint32_t, std::string>> locals;        ///< by function, local
};

struct Module {
  std::vector<uint8_t> bytes;  ///< the binary this module was decoded from

  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<Function> functions;   ///< defined functions; index = func index - imported funcs
  std::vector<TableType> tables;     ///< defined tables
  std::vector<MemoryType> memories;  ///< defined memories
  std::vector<Global> globals;       ///< defined globals
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;
  std::vector<CustomSection> customs;
  NameSection names;

  uint32_t imported_funcs = 0;
  uint32_t imported_tables = 0;
  uint32_t imported_memories = 0;
  uint32_t imported_globals = 0;

  uint32_t func_count() const { return imported_funcs + static_cast<uint32_t>(functions.size()); }
  uint32_t table_count() const { return imported_tables + static_cast<uint32_t>(tables.size()); }
  uint32_t memory_count() const {
    return imported_memories + static_cast<uint32_t>(memories.size());
  }
  uint32_t global_count() const {
    return imported_globals + static_cast<uint32_t>(globals.size());
  }
};

}  // namespace kiln
