// The interpreter's translation of one function: threaded code (handler addresses with
// pre-decoded immediates and resolved branch targets), its frame layout in 64-bit slots,
// and the map from code positions back to byte offsets in the module binary.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/opcodes.h"
#include "runtime/store.h"

namespace kiln::interp {

/// Every handler of the run loop (handlers.def).
enum class Handler : uint16_t {
#define KILN_H(name) name,
#define KILN_OPH(name) name,
#include "runtime/interp/handlers.def"
#undef KILN_H
#undef KILN_OPH
  Count
};

/// The fused i32 operators (fused_ops.def), in order.
enum class FusedOp : uint8_t {
#define KILN_FUSE(name, expr) name,
#include "runtime/interp/fused_ops.def"
#undef KILN_FUSE
  Count
};

/// The 19 handlers of a fused operator, in handlers.def's order. Operand forms: two locals
/// (LL), a local and a constant (LC), the stack and a constant (SC), the stack and a local
/// (SL), the stack (SS: the opcode's own handler); the result pushed, stored into a local
/// (Set), branched on by br_if (Br) or by if (If).
enum class FusedVariant : uint8_t {
  LL, LC, SC, SL,
  LLSet, LCSet, SCSet, SLSet, SSSet,
  LLBr, LCBr, SCBr, SLBr, SSBr,
  LLIf, LCIf, SCIf, SLIf, SSIf,
  Count
};

/// The handler of fused operator `op` in `variant`.
inline Handler fused_handler(FusedOp op, FusedVariant variant) {
  constexpr unsigned kFirst = static_cast<unsigned>(Handler::I32AddLL);
  return static_cast<Handler>(kFirst + static_cast<unsigned>(op) * static_cast<unsigned>(FusedVariant::Count) +
                              static_cast<unsigned>(variant));
}

/// One word of threaded code: a handler's address or an immediate.
union CodeWord {
  const void* handler;
  const CodeWord* target;  ///< a resolved branch target
  uint64_t u;
  void* p;
};
static_assert(sizeof(CodeWord) == 8);

/// A function ready to run. Translated per FuncInstance (the code embeds the addresses of
/// its instance's functions, globals, tables and memory), so it is never shared between
/// instances.
struct FunctionCode {
  std::vector<CodeWord> code;
  /// (code index, module byte offset) of every instruction, ascending by code index.
  std::vector<std::pair<uint32_t, uint32_t>> offsets;
  FuncInstance* func = nullptr;
  MemoryInstance* memory = nullptr;  ///< memory 0 of the instance, if any
  uint32_t param_slots = 0;
  uint32_t local_slots = 0;   ///< parameters and declared locals
  uint32_t frame_slots = 0;   ///< locals plus the deepest operand stack
  uint32_t result_slots = 0;

  /// The module byte offset of the instruction at or before code index `at`.
  uint32_t offset_at(uint32_t at) const;
};

/// Slots a value of `type` takes: two for v128, one otherwise.
inline uint32_t slots_of(ValType type) { return type == ValType::V128 ? 2 : 1; }

/// The run loop's handler addresses, indexed by Handler.
const void* const* handler_table();

/// Translates `func` (a wasm function) into code, on its first call. Never fails for a
/// function of a validated module, except by running out of memory.
FunctionCode* translate(FuncInstance& func);

}  // namespace kiln::interp
