// BodyValidator: the spec appendix A.3 validation algorithm (operand stack with Unknown,
// control frames, unreachable flag) fused with decoding the instruction stream. Fixed
// signatures come from opcodes.def; only "*" instructions are typed by hand here.
#include "runtime/function_validator.h"

#include <algorithm>
#include <array>
#include <string>

namespace kiln {
namespace {

// Per-opcode params/results parsed at compile time from the table's signature strings,
// with the opcode's immediate kind alongside: 8 bytes an opcode, so step() needs one small
// table for both.
struct Signature {
  ImmediateKind immediate = ImmediateKind::None;
  bool special = true;  ///< "*": typed by hand
  uint8_t param_count = 0;
  uint8_t result_count = 0;
  std::array<ValType, 3> params{};
  std::array<ValType, 1> results{};
};
static_assert(sizeof(Signature) == 8);

constexpr ValType sig_type(char c) {
  switch (c) {
    case 'i': return ValType::I32;
    case 'l': return ValType::I64;
    case 'f': return ValType::F32;
    case 'd': return ValType::F64;
    default: return ValType::V128;
  }
}

constexpr Signature parse_signature(std::string_view sig, ImmediateKind immediate) {
  Signature entry{};
  entry.immediate = immediate;
  if (sig == "*") return entry;
  entry.special = false;
  bool results = false;
  for (char c : sig) {
    if (c == ':') {
      results = true;
    } else if (results) {
      entry.results[entry.result_count++] = sig_type(c);
    } else {
      entry.params[entry.param_count++] = sig_type(c);
    }
  }
  return entry;
}

constexpr std::array<Signature, kOpcodeCount> make_signatures() {
  std::array<Signature, kOpcodeCount> table{};
  for (unsigned i = 0; i < kOpcodeCount; ++i) {
    table[i] = parse_signature(kOpcodeInfo[i].signature, kOpcodeInfo[i].immediate);
  }
  return table;
}

// Built at compile time from opcodes.def.
constexpr std::array<Signature, kOpcodeCount> kSignatures = make_signatures();

constexpr const Signature& signature_of(Opcode op) {
  return kSignatures[static_cast<unsigned>(op)];
}

// Storage for one-value block types, so a block's result types are always a span.
constexpr std::array<ValType, 7> kSingleTypes = {ValType::I32, ValType::I64, ValType::F32,
                                                 ValType::F64, ValType::V128,
                                                 ValType::FuncRef, ValType::ExternRef};
std::span<const ValType> single(ValType type) {
  for (const ValType& t : kSingleTypes) {
    if (t == type) return {&t, 1};
  }
  return {};
}

std::string indexed(std::string_view what, uint32_t index) {
  return std::string(what) + " " + std::to_string(index);
}

// Immediates that are just one u32 index (read into Immediates::index).
constexpr bool is_index_immediate(ImmediateKind kind) {
  switch (kind) {
    case ImmediateKind::Label:
    case ImmediateKind::Func:
    case ImmediateKind::Local:
    case ImmediateKind::Global:
    case ImmediateKind::Table:
    case ImmediateKind::Data:
    case ImmediateKind::Elem:
      return true;
    default:
      return false;
  }
}

bool read_val_type(BinaryReader& reader, ValType& out) {
  size_t at = reader.pos();
  uint8_t byte;
  if (!reader.read_u8(byte)) return false;
  auto type = val_type_from_byte(byte);
  if (!type) return reader.malformed_at(at, "malformed value type");
  out = *type;
  return true;
}

}  // namespace

bool BodyValidator::begin(BinaryReader& reader, const FuncType& type, Function& function) {
  function.locals.clear();
  uint32_t groups;
  if (!reader.read_count(groups)) return false;
  // Read every group first (one entry per group read, so bounded by the body's size), then
  // expand them into storage reserved once for the checked total.
  local_groups_.clear();
  uint64_t total = 0;
  for (uint32_t g = 0; g < groups; ++g) {
    size_t at = reader.pos();
    uint32_t count;
    ValType t;
    if (!reader.read_u32(count)) return false;
    total += count;
    if (total > kMaxFunctionLocals) return reader.malformed_at(at, "too many locals");
    if (!read_val_type(reader, t)) return false;
    local_groups_.push_back(LocalGroup{count, t});
  }
  function.locals.reserve(total);
  for (const LocalGroup& group : local_groups_) {
    function.locals.insert(function.locals.end(), group.count, group.type);
  }
  locals_.assign(type.params.begin(), type.params.end());
  locals_.insert(locals_.end(), function.locals.begin(), function.locals.end());
  vals_.clear();
  ctrls_.clear();
  max_height_ = 0;
  max_depth_ = 0;
  used_data_index_ = false;
  results_ = type.results;
  push_ctrl(Opcode::Block, {}, results_);
  return true;
}

// ---- operand and control stacks (appendix A.3) ----

bool BodyValidator::type_mismatch(BinaryReader& reader, size_t at) {
  return reader.invalid_at(at, "type mismatch");
}

bool BodyValidator::pop_at_frame_base(BinaryReader& reader, size_t at, Operand& out) {
  if (ctrls_.back().unreachable) {
    out = kUnknown;
    return true;
  }
  return type_mismatch(reader, at);
}

inline bool BodyValidator::push_vals(std::span<const ValType> types) {
  for (ValType t : types) push_val(static_cast<Operand>(t));
  return true;
}

inline bool BodyValidator::pop_vals(BinaryReader& reader, size_t at, std::span<const ValType> types) {
  for (size_t i = types.size(); i-- > 0;) {
    if (!pop_val(reader, at, types[i])) return false;
  }
  return true;
}

inline void BodyValidator::push_ctrl(Opcode opcode, std::span<const ValType> in,
                              std::span<const ValType> out) {
  ctrls_.push_back(CtrlFrame{opcode, in, out, static_cast<uint32_t>(vals_.size()), false});
  if (ctrls_.size() > max_depth_) max_depth_ = static_cast<uint32_t>(ctrls_.size());
  push_vals(in);
}

inline bool BodyValidator::pop_ctrl(BinaryReader& reader, size_t at, CtrlFrame& out) {
  // ctrls_ is never empty here: step() stops after the function frame's end.
  out = ctrls_.back();
  if (!pop_vals(reader, at, out.end_types)) return false;
  if (vals_.size() != out.height) return type_mismatch(reader, at);
  ctrls_.pop_back();
  return true;
}

void BodyValidator::set_unreachable() {
  CtrlFrame& frame = ctrls_.back();
  vals_.resize(frame.height);
  frame.unreachable = true;
}

bool BodyValidator::block_signature(BinaryReader& reader, size_t at, const BlockType& block,
                                    std::span<const ValType>& in,
                                    std::span<const ValType>& out) {
  switch (block.kind) {
    case BlockType::Kind::Empty:
      in = {};
      out = {};
      return true;
    case BlockType::Kind::Value:
      in = {};
      out = single(block.value);
      return true;
    case BlockType::Kind::Index:
      if (block.index >= context_.types->size()) {
        return reader.invalid_at(at, indexed("unknown type", block.index));
      }
      in = (*context_.types)[block.index].params;
      out = (*context_.types)[block.index].results;
      return true;
  }
  return false;
}

// ---- decoding ----

bool BodyValidator::read_block_type(BinaryReader& reader, BlockType& out) {
  size_t at = reader.pos();
  uint8_t byte;
  if (!reader.peek_u8(byte)) return reader.read_u8(byte);  // reports the end
  if (byte == 0x40) {
    out.kind = BlockType::Kind::Empty;
    return reader.skip(1);
  }
  if (auto type = val_type_from_byte(byte)) {
    out.kind = BlockType::Kind::Value;
    out.value = *type;
    return reader.skip(1);
  }
  int64_t index;
  if (!reader.read_s33(index)) return false;
  if (index < 0) return reader.malformed_at(at, "malformed value type");
  out.kind = BlockType::Kind::Index;
  out.index = static_cast<uint32_t>(index);
  if (index > UINT32_MAX) out.index = UINT32_MAX;
  return true;
}

bool BodyValidator::read_immediates(BinaryReader& reader, Opcode op, Immediates& imm,
                                    size_t at) {
  (void)at;
  switch (opcode_info(op).immediate) {
    case ImmediateKind::None:
      return true;
    case ImmediateKind::BlockType:
      return read_block_type(reader, imm.block);
    case ImmediateKind::Label:  // is_index_immediate: step() reads these itself
    case ImmediateKind::Func:
    case ImmediateKind::Local:
    case ImmediateKind::Global:
    case ImmediateKind::Table:
    case ImmediateKind::Data:
    case ImmediateKind::Elem:
      return reader.read_u32(imm.index);
    case ImmediateKind::LabelTable: {
      uint32_t count;
      if (!reader.read_count(count)) return false;
      targets_.clear();
      for (uint64_t i = 0; i <= count; ++i) {
        uint32_t label;
        if (!reader.read_u32(label)) return false;
        targets_.push_back(label);
      }
      imm.targets = targets_;
      return true;
    }
    case ImmediateKind::CallIndirect:
      return reader.read_u32(imm.index) && reader.read_u32(imm.index2);
    case ImmediateKind::SelectTypes: {
      uint32_t count;
      if (!reader.read_count(count)) return false;
      for (uint32_t i = 0; i < count; ++i) {
        if (!read_val_type(reader, imm.type)) return false;
      }
      if (count != 1) return reader.invalid_at(at, "invalid result arity");
      return true;
    }
    case ImmediateKind::Memory:
    case ImmediateKind::MemoryCopy:
    case ImmediateKind::MemoryInit: {
      if (opcode_info(op).immediate == ImmediateKind::MemoryInit &&
          !reader.read_u32(imm.index)) {
        return false;
      }
      unsigned zeros = opcode_info(op).immediate == ImmediateKind::MemoryCopy ? 2 : 1;
      for (unsigned i = 0; i < zeros; ++i) {
        size_t zat = reader.pos();
        uint8_t byte;
        if (!reader.read_u8(byte)) return false;
        if (byte != 0) return reader.malformed_at(zat, "zero byte expected");
      }
      return true;
    }
    case ImmediateKind::MemArg:
    case ImmediateKind::MemArgLane: {
      uint32_t offset;
      size_t align_at = reader.pos();
      if (!reader.read_u32(imm.align)) return false;
      if (imm.align >= 32) return reader.malformed_at(align_at, "malformed memop flags");
      if (!reader.read_u32(offset)) return false;
      imm.offset = offset;
      if (opcode_info(op).immediate == ImmediateKind::MemArgLane) {
        return reader.read_u8(imm.lane);
      }
      return true;
    }
    case ImmediateKind::Lane:
      return reader.read_u8(imm.lane);
    case ImmediateKind::Shuffle: {
      const uint8_t* p;
      if (!reader.read_bytes(16, p)) return false;
      imm.shuffle = p;
      return true;
    }
    case ImmediateKind::I32: {
      int32_t v;
      if (!reader.read_s32(v)) return false;
      imm.bits = static_cast<uint32_t>(v);
      return true;
    }
    case ImmediateKind::I64: {
      int64_t v;
      if (!reader.read_s64(v)) return false;
      imm.bits = static_cast<uint64_t>(v);
      return true;
    }
    case ImmediateKind::F32: {
      uint32_t v;
      if (!reader.read_f32(v)) return false;
      imm.bits = v;
      return true;
    }
    case ImmediateKind::F64:
      return reader.read_f64(imm.bits);
    case ImmediateKind::V128:
      return reader.read_f64(imm.bits) && reader.read_f64(imm.bits_high);
    case ImmediateKind::HeapType: {
      size_t tat = reader.pos();
      uint8_t byte;
      if (!reader.read_u8(byte)) return false;
      if (byte != 0x70 && byte != 0x6f) return reader.malformed_at(tat, "malformed reference type");
      imm.type = static_cast<ValType>(byte);
      return true;
    }
    case ImmediateKind::TableInit:
    case ImmediateKind::TableCopy:
      return reader.read_u32(imm.index) && reader.read_u32(imm.index2);
  }
  return true;
}

bool BodyValidator::step(BinaryReader& reader, Opcode& op, Immediates& imm) {
  size_t at = reader.pos();
  uint8_t byte;
  if (!reader.read_u8(byte)) return false;
  std::optional<Opcode> decoded;
  if (byte == kPrefixMisc || byte == kPrefixSimd) {
    uint32_t code;
    if (!reader.read_u32(code)) return false;
    decoded = opcode_from_prefixed(byte, code);
  } else {
    decoded = opcode_from_byte(byte);
  }
  if (!decoded) return reader.malformed_at(at, "illegal opcode");
  op = *decoded;
  imm.reset();
  const Signature& sig = signature_of(op);
  const ImmediateKind kind = sig.immediate;
  const bool has_immediates = kind != ImmediateKind::None;
  if (has_immediates) {
    // A lone index is the most common immediate: read it here, the rest out of line.
    if (!(is_index_immediate(kind) ? reader.read_u32(imm.index)
                                   : read_immediates(reader, op, imm, at))) {
      return false;
    }
  }
  if (sig.special) return validate_special(reader, op, imm, at);
  if (has_immediates && !check_immediates(reader, op, imm, at)) return false;
  return validate_simple(reader, op, at);
}

// ---- immediates of fixed-signature instructions ----

bool BodyValidator::check_immediates(BinaryReader& reader, Opcode op, const Immediates& imm,
                                     size_t at) {
  const OpcodeInfo& info = opcode_info(op);
  auto need_memory = [&]() {
    return context_.memory_count > 0 || reader.invalid_at(at, "unknown memory 0");
  };
  auto need_table = [&](uint32_t index) {
    return index < context_.tables.size() || reader.invalid_at(at, indexed("unknown table", index));
  };
  auto need_data = [&](uint32_t index) {
    // Without a data count section no data index is valid; the decoder reports "data
    // count section required" instead when the module does have data segments.
    used_data_index_ = true;
    return index < context_.data_count.value_or(0) ||
           reader.invalid_at(at, indexed("unknown data segment", index));
  };
  auto need_elem = [&](uint32_t index) {
    return index < context_.elems.size() ||
           reader.invalid_at(at, indexed("unknown elem segment", index));
  };
  switch (info.immediate) {
    case ImmediateKind::MemArg:
    case ImmediateKind::MemArgLane:
      if (!need_memory()) return false;
      if ((uint64_t{1} << imm.align) > info.arg) {
        return reader.invalid_at(at, "alignment must not be larger than natural");
      }
      if (info.immediate == ImmediateKind::MemArgLane && imm.lane >= 16 / info.arg) {
        return reader.invalid_at(at, "invalid lane index");
      }
      return true;
    case ImmediateKind::Lane:
      return imm.lane < info.arg || reader.invalid_at(at, "invalid lane index");
    case ImmediateKind::Shuffle:
      for (unsigned i = 0; i < 16; ++i) {
        if (imm.shuffle[i] >= 32) return reader.invalid_at(at, "invalid lane index");
      }
      return true;
    case ImmediateKind::Memory:
    case ImmediateKind::MemoryCopy:
      return need_memory();
    case ImmediateKind::MemoryInit:
      return need_memory() && need_data(imm.index);
    case ImmediateKind::Data:
      return need_data(imm.index);
    case ImmediateKind::Elem:
      return need_elem(imm.index);
    case ImmediateKind::Table:
      return need_table(imm.index);
    case ImmediateKind::TableInit:
      if (!need_table(imm.index2) || !need_elem(imm.index)) return false;
      if (context_.tables[imm.index2] != context_.elems[imm.index]) return type_mismatch(reader, at);
      return true;
    case ImmediateKind::TableCopy:
      if (!need_table(imm.index) || !need_table(imm.index2)) return false;
      if (context_.tables[imm.index] != context_.tables[imm.index2]) return type_mismatch(reader, at);
      return true;
    default:
      return true;
  }
}

inline bool BodyValidator::validate_simple(BinaryReader& reader, Opcode op, size_t at) {
  const Signature& sig = signature_of(op);
  for (unsigned i = sig.param_count; i-- > 0;) {
    if (!pop_val(reader, at, sig.params[i])) return false;
  }
  for (unsigned i = 0; i < sig.result_count; ++i) push_val(static_cast<Operand>(sig.results[i]));
  return true;
}

// ---- the hand-typed instructions ("*" in opcodes.def) ----

bool BodyValidator::validate_special(BinaryReader& reader, Opcode op, const Immediates& imm,
                                     size_t at) {
  switch (op) {
    case Opcode::Unreachable:
      set_unreachable();
      return true;
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: {
      std::span<const ValType> in, out;
      if (!block_signature(reader, at, imm.block, in, out)) return false;
      if (op == Opcode::If && !pop_val(reader, at, ValType::I32)) return false;
      if (!pop_vals(reader, at, in)) return false;
      push_ctrl(op, in, out);
      return true;
    }
    case Opcode::Else: {
      // The reference decoder ends the enclosing block at a stray `else` and then misses
      // its `end`.
      if (ctrls_.back().opcode != Opcode::If) return reader.malformed_at(at, "END opcode expected");
      CtrlFrame frame;
      if (!pop_ctrl(reader, at, frame)) return false;
      push_ctrl(Opcode::Else, frame.start_types, frame.end_types);
      return true;
    }
    case Opcode::End: {
      CtrlFrame frame;
      if (!pop_ctrl(reader, at, frame)) return false;
      if (frame.opcode == Opcode::If &&
          !std::equal(frame.start_types.begin(), frame.start_types.end(),
                      frame.end_types.begin(), frame.end_types.end())) {
        return type_mismatch(reader, at);
      }
      push_vals(frame.end_types);
      return true;
    }
    case Opcode::Br:
    case Opcode::BrIf: {
      if (imm.index >= ctrls_.size()) return reader.invalid_at(at, indexed("unknown label", imm.index));
      if (op == Opcode::BrIf && !pop_val(reader, at, ValType::I32)) return false;
      std::span<const ValType> labels = label_types(ctrls_[ctrls_.size() - 1 - imm.index]);
      if (!pop_vals(reader, at, labels)) return false;
      if (op == Opcode::Br) {
        set_unreachable();
      } else {
        push_vals(labels);
      }
      return true;
    }
    case Opcode::BrTable: {
      for (uint32_t label : imm.targets) {
        if (label >= ctrls_.size()) return reader.invalid_at(at, indexed("unknown label", label));
      }
      if (!pop_val(reader, at, ValType::I32)) return false;
      std::span<const ValType> fallback =
          label_types(ctrls_[ctrls_.size() - 1 - imm.targets.back()]);
      size_t arity = fallback.size();
      for (size_t i = 0; i + 1 < imm.targets.size(); ++i) {
        std::span<const ValType> labels = label_types(ctrls_[ctrls_.size() - 1 - imm.targets[i]]);
        if (labels.size() != arity) return type_mismatch(reader, at);
        // push_vals(pop_vals(labels)): keeps Unknown operands Unknown for the next label.
        scratch_.clear();
        for (size_t k = labels.size(); k-- > 0;) {
          Operand actual;
          if (!pop_val(reader, at, actual)) return false;
          if (actual != static_cast<Operand>(labels[k]) && actual != kUnknown) {
            return type_mismatch(reader, at);
          }
          scratch_.push_back(actual);
        }
        for (size_t k = scratch_.size(); k-- > 0;) push_val(scratch_[k]);
      }
      if (!pop_vals(reader, at, fallback)) return false;
      set_unreachable();
      return true;
    }
    case Opcode::Return:
      if (!pop_vals(reader, at, results_)) return false;
      set_unreachable();
      return true;
    case Opcode::Call: {
      if (imm.index >= context_.func_types.size()) {
        return reader.invalid_at(at, indexed("unknown function", imm.index));
      }
      const FuncType& type = (*context_.types)[context_.func_types[imm.index]];
      if (!pop_vals(reader, at, type.params)) return false;
      return push_vals(type.results);
    }
    case Opcode::CallIndirect: {
      if (imm.index2 >= context_.tables.size()) {
        return reader.invalid_at(at, indexed("unknown table", imm.index2));
      }
      if (imm.index >= context_.types->size()) {
        return reader.invalid_at(at, indexed("unknown type", imm.index));
      }
      if (context_.tables[imm.index2] != ValType::FuncRef) return type_mismatch(reader, at);
      const FuncType& type = (*context_.types)[imm.index];
      if (!pop_val(reader, at, ValType::I32) || !pop_vals(reader, at, type.params)) return false;
      return push_vals(type.results);
    }
    case Opcode::Drop: {
      Operand ignored;
      return pop_val(reader, at, ignored);
    }
    case Opcode::Select: {
      Operand t1, t2;
      if (!pop_val(reader, at, ValType::I32) || !pop_val(reader, at, t1) ||
          !pop_val(reader, at, t2)) {
        return false;
      }
      auto is_num = [](Operand t) {
        return t == kUnknown || is_numeric(static_cast<ValType>(t));
      };
      auto is_vec = [](Operand t) { return t == kUnknown || t == static_cast<Operand>(ValType::V128); };
      if (!((is_num(t1) && is_num(t2)) || (is_vec(t1) && is_vec(t2)))) {
        return type_mismatch(reader, at);
      }
      if (t1 != t2 && t1 != kUnknown && t2 != kUnknown) return type_mismatch(reader, at);
      push_val(t1 == kUnknown ? t2 : t1);
      return true;
    }
    case Opcode::SelectT:
      if (!pop_val(reader, at, ValType::I32) || !pop_val(reader, at, imm.type) ||
          !pop_val(reader, at, imm.type)) {
        return false;
      }
      push_val(static_cast<Operand>(imm.type));
      return true;
    case Opcode::LocalGet:
    case Opcode::LocalSet:
    case Opcode::LocalTee: {
      if (imm.index >= locals_.size()) return reader.invalid_at(at, indexed("unknown local", imm.index));
      ValType t = locals_[imm.index];
      if (op != Opcode::LocalGet && !pop_val(reader, at, t)) return false;
      if (op != Opcode::LocalSet) push_val(static_cast<Operand>(t));
      return true;
    }
    case Opcode::GlobalGet:
    case Opcode::GlobalSet: {
      if (imm.index >= context_.globals.size()) {
        return reader.invalid_at(at, indexed("unknown global", imm.index));
      }
      const GlobalType& g = context_.globals[imm.index];
      if (op == Opcode::GlobalGet) {
        push_val(static_cast<Operand>(g.type));
        return true;
      }
      if (!g.mutable_) return reader.invalid_at(at, "global is immutable");
      return pop_val(reader, at, g.type);
    }
    case Opcode::TableGet:
    case Opcode::TableSet:
    case Opcode::TableGrow:
    case Opcode::TableFill: {
      if (imm.index >= context_.tables.size()) {
        return reader.invalid_at(at, indexed("unknown table", imm.index));
      }
      ValType t = context_.tables[imm.index];
      switch (op) {
        case Opcode::TableGet:
          if (!pop_val(reader, at, ValType::I32)) return false;
          push_val(static_cast<Operand>(t));
          return true;
        case Opcode::TableSet:
          return pop_val(reader, at, t) && pop_val(reader, at, ValType::I32);
        case Opcode::TableGrow:
          if (!pop_val(reader, at, ValType::I32) || !pop_val(reader, at, t)) return false;
          push_val(static_cast<Operand>(ValType::I32));
          return true;
        default:  // table.fill
          return pop_val(reader, at, ValType::I32) && pop_val(reader, at, t) &&
                 pop_val(reader, at, ValType::I32);
      }
    }
    case Opcode::RefNull:
      push_val(static_cast<Operand>(imm.type));
      return true;
    case Opcode::RefIsNull: {
      Operand t;
      if (!pop_val(reader, at, t)) return false;
      if (t != kUnknown && !is_reference(static_cast<ValType>(t))) return type_mismatch(reader, at);
      push_val(static_cast<Operand>(ValType::I32));
      return true;
    }
    case Opcode::RefFunc:
      if (imm.index >= context_.func_types.size()) {
        return reader.invalid_at(at, indexed("unknown function", imm.index));
      }
      if (imm.index >= context_.refs.size() || !context_.refs[imm.index]) {
        return reader.invalid_at(at, "undeclared function reference");
      }
      push_val(static_cast<Operand>(ValType::FuncRef));
      return true;
    default:
      return reader.malformed_at(at, "illegal opcode");
  }
}

}  // namespace kiln
