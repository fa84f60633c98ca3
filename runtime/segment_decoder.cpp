// Element and data segments (spec 5.5.12, 5.5.14, all encodings) and constant expressions
// (spec 3.3.10: *.const, ref.null, ref.func, global.get of an immutable visible global).
#include <string>
#include <vector>

#include "runtime/module_decoder.h"

namespace kiln {
namespace {

constexpr uint8_t kEnd = 0x0b;

std::string indexed(std::string_view what, uint32_t index) {
  return std::string(what) + " " + std::to_string(index);
}

}  // namespace

bool ModuleDecoder::read_const_expr(BinaryReader& r, ValType expected, uint32_t visible_globals,
                                    ConstExpr& out) {
  size_t start = r.pos();
  std::vector<ValType> stack;
  for (;;) {
    size_t at = r.pos();
    uint8_t byte;
    if (!r.read_u8(byte)) return false;
    if (byte == kEnd) break;
    ConstInstr instr;
    ValType type;
    switch (byte) {
      case 0x41: {
        int32_t v;
        if (!r.read_s32(v)) return false;
        instr = {Opcode::I32Const, static_cast<uint32_t>(v)};
        type = ValType::I32;
        break;
      }
      case 0x42: {
        int64_t v;
        if (!r.read_s64(v)) return false;
        instr = {Opcode::I64Const, static_cast<uint64_t>(v)};
        type = ValType::I64;
        break;
      }
      case 0x43: {
        uint32_t v;
        if (!r.read_f32(v)) return false;
        instr = {Opcode::F32Const, v};
        type = ValType::F32;
        break;
      }
      case 0x44:
        instr.op = Opcode::F64Const;
        if (!r.read_f64(instr.bits)) return false;
        type = ValType::F64;
        break;
      case 0xfd: {
        uint32_t code;
        if (!r.read_u32(code)) return false;
        auto op = opcode_from_prefixed(byte, code);
        if (!op) return r.malformed_at(at, "illegal opcode");
        if (*op != Opcode::V128Const) return r.invalid_at(at, "constant expression required");
        instr.op = Opcode::V128Const;
        if (!r.read_f64(instr.bits) || !r.read_f64(instr.bits_high)) return false;
        type = ValType::V128;
        break;
      }
      case 0xd0:
        instr.op = Opcode::RefNull;
        if (!read_ref_type(r, instr.ref_type)) return false;
        type = instr.ref_type;
        break;
      case 0xd2:
        instr.op = Opcode::RefFunc;
        if (!r.read_u32(instr.index)) return false;
        if (instr.index >= module_.func_count()) {
          return r.invalid_at(at, indexed("unknown function", instr.index));
        }
        context_.refs.resize(module_.func_count(), false);
        context_.refs[instr.index] = true;
        type = ValType::FuncRef;
        break;
      case 0x23: {
        instr.op = Opcode::GlobalGet;
        if (!r.read_u32(instr.index)) return false;
        if (instr.index >= visible_globals || instr.index >= context_.globals.size()) {
          return r.invalid_at(at, indexed("unknown global", instr.index));
        }
        const GlobalType& g = context_.globals[instr.index];
        if (g.mutable_) return r.invalid_at(at, "constant expression required");
        type = g.type;
        break;
      }
      default: {
        std::optional<Opcode> op;
        if (byte == kPrefixMisc) {
          uint32_t code;
          if (!r.read_u32(code)) return false;
          op = opcode_from_prefixed(byte, code);
        } else {
          op = opcode_from_byte(byte);
        }
        if (!op) return r.malformed_at(at, "illegal opcode");
        return r.invalid_at(at, "constant expression required");
      }
    }
    stack.push_back(type);
    out.instrs.push_back(instr);
  }
  if (stack.size() != 1 || stack[0] != expected) return r.invalid_at(start, "type mismatch");
  return true;
}

bool ModuleDecoder::read_elem_segment(BinaryReader& r, ElemSegment& out) {
  size_t at = r.pos();
  uint32_t flags;
  if (!r.read_u32(flags)) return false;
  if (flags > 7) return r.malformed_at(at, "malformed elements segment kind");
  const bool passive_or_declarative = flags & 1;
  const bool explicit_table = flags & 2;
  const bool uses_exprs = flags & 4;
  out.mode = !passive_or_declarative ? SegmentMode::Active
             : explicit_table        ? SegmentMode::Declarative
                                     : SegmentMode::Passive;
  out.table = 0;
  out.type = ValType::FuncRef;
  size_t table_at = r.pos();
  if (out.mode == SegmentMode::Active) {
    if (explicit_table && !r.read_u32(out.table)) return false;
    if (!read_const_expr(r, ValType::I32, module_.imported_globals, out.offset)) return false;
  }
  if (passive_or_declarative || explicit_table) {
    if (uses_exprs) {
      if (!read_ref_type(r, out.type)) return false;
    } else {
      size_t kind_at = r.pos();
      uint8_t kind;
      if (!r.read_u8(kind)) return false;
      if (kind != 0x00) return r.malformed_at(kind_at, "malformed element kind");
    }
  }
  uint32_t count;
  if (!r.read_count(count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    ConstExpr expr;
    if (uses_exprs) {
      if (!read_const_expr(r, out.type, module_.imported_globals, expr)) return false;
    } else {
      size_t fat = r.pos();
      ConstInstr instr;
      instr.op = Opcode::RefFunc;
      if (!r.read_u32(instr.index)) return false;
      if (instr.index >= module_.func_count()) {
        return r.invalid_at(fat, indexed("unknown function", instr.index));
      }
      context_.refs[instr.index] = true;
      expr.instrs.push_back(instr);
    }
    out.elements.push_back(std::move(expr));
  }
  if (out.mode == SegmentMode::Active) {
    if (out.table >= context_.tables.size()) {
      return r.invalid_at(table_at, indexed("unknown table", out.table));
    }
    if (context_.tables[out.table] != out.type) return r.invalid_at(table_at, "type mismatch");
  }
  return true;
}

bool ModuleDecoder::elem_section(BinaryReader& r) {
  uint32_t count;
  if (!r.read_count(count)) return false;
  context_.refs.resize(module_.func_count(), false);
  for (uint32_t i = 0; i < count; ++i) {
    ElemSegment segment;
    if (!read_elem_segment(r, segment)) return false;
    context_.elems.push_back(segment.type);
    module_.elems.push_back(std::move(segment));
  }
  return true;
}

bool ModuleDecoder::read_data_segment(BinaryReader& r, DataSegment& out) {
  size_t at = r.pos();
  uint32_t flags;
  if (!r.read_u32(flags)) return false;
  if (flags > 2) return r.malformed_at(at, "malformed data segment kind");
  out.mode = flags == 1 ? SegmentMode::Passive : SegmentMode::Active;
  out.memory = 0;
  size_t memory_at = r.pos();
  if (flags == 2 && !r.read_u32(out.memory)) return false;
  if (out.mode == SegmentMode::Active &&
      !read_const_expr(r, ValType::I32, module_.imported_globals, out.offset)) {
    return false;
  }
  uint32_t size;
  if (!r.read_u32(size)) return false;
  if (size > r.remaining()) return r.malformed_at(r.pos(), "unexpected end of section or function");
  out.bytes = ByteRange{static_cast<uint32_t>(r.pos()), size};
  if (!r.skip(size)) return false;
  if (out.mode == SegmentMode::Active && out.memory >= context_.memory_count) {
    return r.invalid_at(memory_at, indexed("unknown memory", out.memory));
  }
  return true;
}

bool ModuleDecoder::data_section(BinaryReader& r) {
  size_t at = r.pos();
  uint32_t count;
  if (!r.read_count(count)) return false;
  if (module_.data_count && *module_.data_count != count) {
    return r.malformed_at(at, "data count and data section have inconsistent lengths");
  }
  seen_data_ = true;
  for (uint32_t i = 0; i < count; ++i) {
    DataSegment segment;
    if (!read_data_segment(r, segment)) return false;
    module_.datas.push_back(std::move(segment));
  }
  return true;
}

}  // namespace kiln
