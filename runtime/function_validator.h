// The function-body decoder and validator, fused in one pass (spec 3.3 and appendix A.3).
// BodyValidator decodes one instruction at a time and types it with the appendix's
// algorithm; FunctionValidator<Consumer> drives it and hands every validated instruction to
// a consumer (a later tier: side-table builder, interpreter translator, JIT).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "runtime/binary_reader.h"
#include "runtime/module.h"
#include "runtime/opcodes.h"
#include "runtime/value_type.h"

namespace kiln {

/// What the body validator needs to know about the module (spec 3.1.1 context C). Built by
/// the decoder once the sections before the code section are read.
struct ValidationContext {
  const std::vector<FuncType>* types = nullptr;
  std::vector<uint32_t> func_types;    ///< type index of every function (imports first)
  std::vector<ValType> tables;         ///< element type of every table
  uint32_t memory_count = 0;
  std::vector<GlobalType> globals;     ///< every global (imports first)
  std::vector<ValType> elems;          ///< element type of every elem segment
  std::optional<uint32_t> data_count;  ///< from the data count section
  std::vector<bool> refs;              ///< C.refs: functions declared for ref.func
};

/// A block type (spec 5.4.1): none, one result type, or a type index.
struct BlockType {
  enum class Kind : uint8_t { Empty, Value, Index } kind = Kind::Empty;
  ValType value = ValType::I32;
  uint32_t index = 0;
};

/// The decoded immediates of one instruction; which fields are set follows the opcode's
/// ImmediateKind.
struct Immediates {
  uint32_t index = 0;    ///< label, function, local, global, table, type, data, elem index
  uint32_t index2 = 0;   ///< second index: call_indirect table, table.init/copy table, ...
  uint32_t align = 0;    ///< memarg alignment exponent
  uint64_t offset = 0;   ///< memarg offset
  uint8_t lane = 0;      ///< lane index
  uint64_t bits = 0;     ///< i32/i64/f32/f64 constant bits, low half of a v128
  uint64_t bits_high = 0;  ///< high half of a v128.const
  const uint8_t* shuffle = nullptr;  ///< i8x16.shuffle's 16 lane indices
  ValType type = ValType::I32;       ///< ref.null's type, select's annotated type
  BlockType block;
  std::span<const uint32_t> targets;  ///< br_table: the labels, then the default label

  /// Back to the default state, Immediates{}. Field by field: `*this = Immediates{}`
  /// compiles to a `rep stos` plus a temporary, slow for a once-per-instruction reset.
  /// Keep in step with the fields above (function_validator_test checks it).
  void reset() {
    index = 0;
    index2 = 0;
    align = 0;
    offset = 0;
    lane = 0;
    bits = 0;
    bits_high = 0;
    shuffle = nullptr;
    type = ValType::I32;
    block = BlockType{};
    targets = {};
  }
};

/// Forwarded the body instruction by instruction; later tiers implement the same members.
struct NullConsumer {
  void on_locals(std::span<const ValType>) {}
  void on_instruction(Opcode, const Immediates&, size_t /*offset*/) {}
  void on_end_function() {}
};

/// The validation state of one function body: operand stack and control stack under the
/// spec appendix's names. Reusable across functions (keeps its allocations).
class BodyValidator {
 public:
  explicit BodyValidator(const ValidationContext& context) : context_(context) {}

  /// Reads the local declarations and sets up the function frame. Fills function.locals.
  bool begin(BinaryReader& reader, const FuncType& type, Function& function);
  /// Decodes and validates the next instruction; sets `op` and `imm`. After the function's
  /// final `end`, done() is true.
  bool step(BinaryReader& reader, Opcode& op, Immediates& imm);
  bool done() const { return ctrls_.empty(); }

  uint32_t max_stack_height() const { return max_height_; }
  uint32_t max_control_depth() const { return max_depth_; }
  /// Whether the body used a data index (memory.init, data.drop), which requires the data
  /// count section (spec 5.5.13).
  bool used_data_index() const { return used_data_index_; }

 private:
  // The operand type Unknown (appendix A.3) is kUnknown, outside ValType's encodings.
  using Operand = uint8_t;
  static constexpr Operand kUnknown = 0;

  struct CtrlFrame {
    Opcode opcode;
    std::span<const ValType> start_types;
    std::span<const ValType> end_types;
    uint32_t height;
    bool unreachable;
  };

  bool read_immediates(BinaryReader& reader, Opcode op, Immediates& imm, size_t at);
  bool read_block_type(BinaryReader& reader, BlockType& out);
  bool check_immediates(BinaryReader& reader, Opcode op, const Immediates& imm, size_t at);
  bool validate_special(BinaryReader& reader, Opcode op, const Immediates& imm, size_t at);
  bool validate_simple(BinaryReader& reader, Opcode op, size_t at);

  void push_val(Operand type) {
    vals_.push_back(type);
    if (vals_.size() > max_height_) max_height_ = static_cast<uint32_t>(vals_.size());
  }
  bool pop_val(BinaryReader& reader, size_t at, Operand& out) {
    const CtrlFrame& frame = ctrls_.back();
    if (vals_.size() == frame.height) [[unlikely]] return pop_at_frame_base(reader, at, out);
    out = vals_.back();
    vals_.pop_back();
    return true;
  }
  bool pop_val(BinaryReader& reader, size_t at, ValType expect) {
    Operand actual;
    if (!pop_val(reader, at, actual)) return false;
    if (actual != static_cast<Operand>(expect) && actual != kUnknown) [[unlikely]] {
      return type_mismatch(reader, at);
    }
    return true;
  }
  /// pop_val on an empty frame: Unknown if the frame is unreachable, else a type mismatch.
  bool pop_at_frame_base(BinaryReader& reader, size_t at, Operand& out);
  bool push_vals(std::span<const ValType> types);
  bool pop_vals(BinaryReader& reader, size_t at, std::span<const ValType> types);
  void push_ctrl(Opcode opcode, std::span<const ValType> in, std::span<const ValType> out);
  bool pop_ctrl(BinaryReader& reader, size_t at, CtrlFrame& out);
  static std::span<const ValType> label_types(const CtrlFrame& frame) {
    return frame.opcode == Opcode::Loop ? frame.start_types : frame.end_types;
  }
  void set_unreachable();
  bool block_signature(BinaryReader& reader, size_t at, const BlockType& block,
                       std::span<const ValType>& in, std::span<const ValType>& out);
  bool type_mismatch(BinaryReader& reader, size_t at);

  const ValidationContext& context_;
  struct LocalGroup {
    uint32_t count;
    ValType type;
  };

  std::vector<ValType> locals_;  ///< parameters, then declared locals
  std::vector<LocalGroup> local_groups_;  ///< begin()'s scratch: the local declarations
  std::vector<Operand> vals_;
  std::vector<CtrlFrame> ctrls_;
  std::vector<uint32_t> targets_;
  std::vector<Operand> scratch_;
  std::span<const ValType> results_;
  uint32_t max_height_ = 0;
  uint32_t max_depth_ = 0;
  bool used_data_index_ = false;
};

/// Decodes and validates one function body, forwarding every instruction to `consumer`
/// after it validated (V8's WasmFullDecoder<ValidationTag, Interface> pattern).
template <typename Consumer>
class FunctionValidator {
 public:
  FunctionValidator(const ValidationContext& context, Consumer& consumer)
      : body_(context), consumer_(consumer) {}

  /// `reader` spans exactly the body (locals and code). On failure the error is in reader.
  bool validate(BinaryReader& reader, const FuncType& type, Function& function) {
    if (!body_.begin(reader, type, function)) return false;
    function.code_offset = static_cast<uint32_t>(reader.pos());
    consumer_.on_locals(function.locals);
    Opcode op;
    Immediates imm;
    while (!body_.done()) {
      size_t at = reader.pos();
      if (!body_.step(reader, op, imm)) return false;
      consumer_.on_instruction(op, imm, at);
    }
    if (!reader.at_end()) return reader.malformed_at(reader.pos(), "section size mismatch");
    function.max_stack_height = body_.max_stack_height();
    function.max_control_depth = body_.max_control_depth();
    consumer_.on_end_function();
    return true;
  }
  bool used_data_index() const { return body_.used_data_index(); }

 private:
  BodyValidator body_;
  Consumer& consumer_;
};

/// Limits on what one function may declare (hostile-input bounds).
inline constexpr uint64_t kMaxFunctionLocals = 50000;

}  // namespace kiln
