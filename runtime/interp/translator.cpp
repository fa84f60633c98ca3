// Translation of a validated function body into threaded code (function_code.h), driven by
// FunctionValidator as its consumer. The translator mirrors the operand stack by type (to
// know each value's slot count and every label's stack height), resolves branch targets to
// code positions, and skips code that cannot be reached.
#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "runtime/binary_reader.h"
#include "runtime/function_validator.h"
#include "runtime/interp/function_code.h"

namespace kiln::interp {
namespace {

// ---- per-opcode facts from opcodes.def ----

struct Signature {
  bool fixed = false;
  uint8_t param_count = 0;
  uint8_t result_count = 0;
  std::array<ValType, 3> params{};
  ValType result = ValType::I32;
};

constexpr ValType sig_type(char c) {
  switch (c) {
    case 'i': return ValType::I32;
    case 'l': return ValType::I64;
    case 'f': return ValType::F32;
    case 'd': return ValType::F64;
    default: return ValType::V128;
  }
}

constexpr std::array<Signature, kOpcodeCount> make_signatures() {
  std::array<Signature, kOpcodeCount> table{};
  for (unsigned i = 0; i < kOpcodeCount; ++i) {
    std::string_view sig = kOpcodeInfo[i].signature;
    if (sig == "*") continue;
    Signature& s = table[i];
    s.fixed = true;
    bool results = false;
    for (char c : sig) {
      if (c == ':') {
        results = true;
      } else if (results) {
        s.result = sig_type(c);
        s.result_count = 1;
      } else {
        s.params[s.param_count++] = sig_type(c);
      }
    }
  }
  return table;
}
constexpr std::array<Signature, kOpcodeCount> kSignatures = make_signatures();

constexpr Handler kNoHandler = Handler::Count;
constexpr std::array<Handler, kOpcodeCount> make_opcode_handlers() {
  std::array<Handler, kOpcodeCount> table{};
  table.fill(kNoHandler);
#define KILN_H(name)
#define KILN_OPH(name) table[static_cast<unsigned>(Opcode::name)] = Handler::name;
#include "runtime/interp/handlers.def"
#undef KILN_H
#undef KILN_OPH
  return table;
}
constexpr std::array<Handler, kOpcodeCount> kOpcodeHandlers = make_opcode_handlers();

constexpr int kNotFused = -1;
constexpr std::array<int8_t, kOpcodeCount> make_fused_index() {
  std::array<int8_t, kOpcodeCount> table{};
  table.fill(kNotFused);
#define KILN_FUSE(name, expr) \
  table[static_cast<unsigned>(Opcode::name)] = static_cast<int8_t>(FusedOp::name);
#include "runtime/interp/fused_ops.def"
#undef KILN_FUSE
  return table;
}
constexpr std::array<int8_t, kOpcodeCount> kFusedIndex = make_fused_index();

/// A load's handlers with its address fused in (fused_loads.def): from a local, from
/// i32.add of two locals, from i32.add of a local and a constant.
struct FusedLoad {
  Handler local = kNoHandler, add_ll = kNoHandler, add_lc = kNoHandler;
};
constexpr std::array<FusedLoad, kOpcodeCount> make_fused_loads() {
  std::array<FusedLoad, kOpcodeCount> table{};
#define KILN_LOAD(name, T, conv)                 \
  table[static_cast<unsigned>(Opcode::name)] = { \
      Handler::name##L, Handler::name##AddLL, Handler::name##AddLC};
#include "runtime/interp/fused_loads.def"
#undef KILN_LOAD
  return table;
}
constexpr std::array<FusedLoad, kOpcodeCount> kFusedLoads = make_fused_loads();

/// A float operator's handlers with a fused load as its right operand
/// (fused_load_ops.def), by the load's form.
struct LoadOp {
  FusedLoad load;  // the load's fused handlers
  FusedLoad op;    // the combined handlers, form for form
};
constexpr std::array<LoadOp, kOpcodeCount> make_load_ops() {
  std::array<LoadOp, kOpcodeCount> table{};
#define KILN_LOAD_OP(name, load, T, get, expr)                                         \
  table[static_cast<unsigned>(Opcode::name)] = {                                       \
      {Handler::load##L, Handler::load##AddLL, Handler::load##AddLC},                  \
      {Handler::name##Load##L, Handler::name##Load##AddLL, Handler::name##Load##AddLC}};
#include "runtime/interp/fused_load_ops.def"
#undef KILN_LOAD_OP
  return table;
}
constexpr std::array<LoadOp, kOpcodeCount> kLoadOps = make_load_ops();

constexpr std::array<ValType, 7> kSingleTypes = {ValType::I32, ValType::I64, ValType::F32,
                                                 ValType::F64, ValType::V128,
                                                 ValType::FuncRef, ValType::ExternRef};
std::span<const ValType> single(ValType type) {
  for (const ValType& t : kSingleTypes) {
    if (t == type) return {&t, 1};
  }
  return {};
}

uint32_t total_slots(std::span<const ValType> types) {
  uint32_t n = 0;
  for (ValType t : types) n += slots_of(t);
  return n;
}

// ---- the validation context of a module, cached for the last module on this thread ----

ValidationContext build_context(const Module& m) {
  ValidationContext c;
  c.types = &m.types;
  for (const Import& imp : m.imports) {
    switch (imp.kind) {
      case ExternKind::Func: c.func_types.push_back(imp.func_type); break;
      case ExternKind::Table: c.tables.push_back(imp.table.element); break;
      case ExternKind::Memory: ++c.memory_count; break;
      case ExternKind::Global: c.globals.push_back(imp.global); break;
    }
  }
  for (const Function& f : m.functions) c.func_types.push_back(f.type_index);
  for (const TableType& t : m.tables) c.tables.push_back(t.element);
  c.memory_count += static_cast<uint32_t>(m.memories.size());
  for (const Global& g : m.globals) c.globals.push_back(g.type);
  for (const ElemSegment& e : m.elems) c.elems.push_back(e.type);
  c.data_count = m.data_count;
  c.refs.assign(m.func_count(), true);  // the module validated: every ref.func is declared
  return c;
}

struct ContextCache {
  std::shared_ptr<const Module> module;
  ValidationContext context;
};

const ValidationContext& context_for(const std::shared_ptr<const Module>& module) {
  thread_local ContextCache cache;
  if (cache.module != module) {
    cache.context = build_context(*module);
    cache.module = module;
  }
  return cache.context;
}

// ---- the translator ----

constexpr uint32_t kNone = UINT32_MAX;

class Translator {
 public:
  void begin(FuncInstance& func, FunctionCode& out) {
    func_ = &func;
    instance_ = func.instance;
    module_ = instance_->module.get();
    out_ = &out;
    out.func = &func;
    out.memory = instance_->memories.empty() ? nullptr : instance_->memories[0];
    out.code.clear();
    out.offsets.clear();
    types_.clear();
    depth_ = 0;
    dead_ = 0;
    history_size_ = 0;
    patch_sites_.clear();
    local_types_.clear();
    local_slot_.clear();
    result_slots_ = total_slots(func.type.results);
  }

  void on_locals(std::span<const ValType> locals) {
    uint32_t slot = 0;
    for (ValType t : func_->type.params) add_local(t, slot);
    out_->param_slots = slot;
    for (ValType t : locals) add_local(t, slot);
    out_->local_slots = slot;
    out_->result_slots = result_slots_;
    height_ = max_height_ = slot;
    Ctrl& c = push_ctrl();
    c.kind = Opcode::Block;
    c.function = true;
    c.height = 0;
    c.type_height = 0;
    c.results = func_->type.results;
    c.result_slots = result_slots_;
  }

  void on_instruction(Opcode op, const Immediates& imm, size_t offset) {
    offset_ = static_cast<uint32_t>(offset);
    if (top().unreachable && skip_dead(op)) return;
    translate(op, imm);
  }

  void on_end_function() {
    std::vector<CodeWord>& code = out_->code;
    code.shrink_to_fit();  // before resolving targets to addresses
    out_->offsets.shrink_to_fit();
    for (uint32_t site : patch_sites_) code[site].target = code.data() + code[site].u;
    out_->frame_slots = max_height_;
  }

 private:
  struct Ctrl {
    Opcode kind = Opcode::Block;  // Block, Loop, If, Else
    bool function = false;
    bool unreachable = false;
    uint32_t height = 0;       // slots below the block's parameters
    uint32_t type_height = 0;  // values below the block's parameters
    std::span<const ValType> params, results;
    uint32_t param_slots = 0, result_slots = 0;
    uint32_t loop_pc = 0;
    uint32_t else_fixup = kNone;
    std::vector<uint32_t> fixups;  // branch target words to patch with the end position
  };

  void add_local(ValType t, uint32_t& slot) {
    local_types_.push_back(t);
    local_slot_.push_back(slot);
    slot += slots_of(t);
  }

  Ctrl& top() { return ctrls_[depth_ - 1]; }
  Ctrl& push_ctrl() {
    if (depth_ == ctrls_.size()) ctrls_.emplace_back();
    Ctrl& c = ctrls_[depth_++];
    c.fixups.clear();
    c.function = false;
    c.unreachable = false;
    c.else_fixup = kNone;
    c.params = {};
    c.results = {};
    c.param_slots = c.result_slots = 0;
    return c;
  }

  // In unreachable code only the block structure matters; true when `op` is skipped.
  bool skip_dead(Opcode op) {
    switch (op) {
      case Opcode::Block:
      case Opcode::Loop:
      case Opcode::If:
        ++dead_;
        return true;
      case Opcode::Else:
        return dead_ > 0;
      case Opcode::End:
        if (dead_ == 0) return false;
        --dead_;
        return true;
      default:
        return true;
    }
  }

  // ---- emission ----
  uint32_t pos() const { return static_cast<uint32_t>(out_->code.size()); }
  void emit(Handler h) {
    auto& offsets = out_->offsets;
    if (offsets.empty() || offsets.back().second != offset_) offsets.emplace_back(pos(), offset_);
    if (history_size_ == kHistory) {
      history_[0] = history_[1];
      --history_size_;
    }
    history_[history_size_++] = Emitted{pos(), h, 0, kNotFused, kSS};
    out_->code.push_back(CodeWord{.handler = handler_table()[static_cast<unsigned>(h)]});
  }
  void set_handler(uint32_t at, Handler h) {
    out_->code[at].handler = handler_table()[static_cast<unsigned>(h)];
  }

  // ---- peephole fusion (superinstructions, fused_ops.def) ----
  // The last instructions emitted since the last label: only those may fuse.
  struct Emitted {
    uint32_t pos;
    Handler handler;
    uint64_t imm;        // LocalGet: the slot; I32Const: the value
    int fused;           // a fused operator's FusedOp, or kNotFused
    unsigned form;       // its operand form: kLL, kLC, kSC, kSL or kSS
  };
  static constexpr unsigned kHistory = 2;
  // Operand forms, in FusedVariant's order within each group.
  static constexpr unsigned kLL = 0, kLC = 1, kSC = 2, kSL = 3, kSS = 4;
  // Result kinds, the offset of each group in FusedVariant.
  static constexpr unsigned kSet = 4, kBr = 9, kIf = 14;
  Emitted* last(unsigned back = 0) {
    return history_size_ > back ? &history_[history_size_ - 1 - back] : nullptr;
  }
  void barrier() { history_size_ = 0; }
  // Drops the code from `at` on (instructions about to be fused into one).
  void rewind(uint32_t at) {
    out_->code.resize(at);
    auto& offsets = out_->offsets;
    while (!offsets.empty() && offsets.back().first >= at) offsets.pop_back();
    while (history_size_ > 0 && history_[history_size_ - 1].pos >= at) --history_size_;
  }
  void emit_fused(Opcode op, FusedOp k) {
    Emitted* b = last(0);
    Emitted* a = last(1);
    unsigned form = kSS;
    uint64_t x = 0, y = 0;
    if (a && b && a->handler == Handler::LocalGet &&
        (b->handler == Handler::I32Const || b->handler == Handler::LocalGet)) {
      form = b->handler == Handler::I32Const ? kLC : kLL;
      x = a->imm;
      y = b->imm;
      rewind(a->pos);
    } else if (b && b->handler == Handler::I32Const) {
      form = kSC;
      x = b->imm;
      rewind(b->pos);
    } else if (b && b->handler == Handler::LocalGet) {
      form = kSL;
      x = b->imm;
      rewind(b->pos);
    }
    if (form == kSS) {
      emit(kOpcodeHandlers[static_cast<unsigned>(op)]);
    } else {
      emit(fused_handler(k, static_cast<FusedVariant>(form)));
      word(x);
      if (form != kSC && form != kSL) word(y);
    }
    last()->fused = static_cast<int>(k);
    last()->form = form;
  }
  // local.get x; load  ->  load-from-x, and (local.get x; local.get y | i32.const c;
  // i32.add) fused into i32.add x y|c; load  ->  load-from-(x + y|c). False when the
  // address is computed otherwise (the plain load is emitted then).
  bool emit_fused_load(const FusedLoad& fl, uint64_t offset) {
    Emitted* e = last();
    if (!e) return false;
    if (e->handler == Handler::LocalGet) {
      uint64_t slot = e->imm;
      rewind(e->pos);
      emit(fl.local);
      word(slot);
      word(offset);
      return true;
    }
    if (e->fused == static_cast<int>(FusedOp::I32Add) && (e->form == kLL || e->form == kLC)) {
      uint64_t x = out_->code[e->pos + 1].u, y = out_->code[e->pos + 2].u;
      Handler h = e->form == kLL ? fl.add_ll : fl.add_lc;
      rewind(e->pos);
      emit(h);
      word(x);
      word(y);
      word(offset);
      return true;
    }
    return false;
  }
  // The just-emitted fused operator, if the next instruction may consume its result.
  Emitted* fused_producer() {
    Emitted* e = last();
    return e && e->fused != kNotFused ? e : nullptr;
  }
  // Turns the fused producer `e` into its `kind` variant (kSet, kBr or kIf).
  void consume(Emitted* e, unsigned kind) {
    set_handler(e->pos, fused_handler(static_cast<FusedOp>(e->fused),
                                      static_cast<FusedVariant>(kind + e->form)));
    e->fused = kNotFused;
    e->handler = Handler::Count;
  }
  void word(uint64_t u) { out_->code.push_back(CodeWord{.u = u}); }
  void ptr(const void* p) { word(reinterpret_cast<uintptr_t>(p)); }
  void patch(uint32_t site, uint32_t target) { out_->code[site].u = target; }

  // ---- the mirrored operand stack ----
  void push(ValType t) {
    types_.push_back(t);
    height_ += slots_of(t);
    if (height_ > max_height_) max_height_ = height_;
  }
  ValType pop() {
    ValType t = types_.back();
    types_.pop_back();
    height_ -= slots_of(t);
    return t;
  }
  void pop_n(size_t n) {
    for (size_t i = 0; i < n; ++i) pop();
  }
  void reset_stack(const Ctrl& c, std::span<const ValType> values) {
    types_.resize(c.type_height);
    height_ = c.height;
    for (ValType t : values) push(t);
  }
  void set_dead() {
    Ctrl& c = top();
    c.unreachable = true;
    reset_stack(c, {});
  }

  void block_types(const BlockType& b, std::span<const ValType>& in,
                   std::span<const ValType>& out) {
    switch (b.kind) {
      case BlockType::Kind::Empty: in = {}; out = {}; return;
      case BlockType::Kind::Value: in = {}; out = single(b.value); return;
      case BlockType::Kind::Index:
        in = module_->types[b.index].params;
        out = module_->types[b.index].results;
        return;
    }
  }

  // A branch target word for label `depth` (patched later for forward labels).
  void target_word(Ctrl& t) {
    uint32_t site = pos();
    patch_sites_.push_back(site);
    if (t.kind == Opcode::Loop) {
      word(t.loop_pc);
    } else {
      word(0);
      t.fixups.push_back(site);
    }
  }
  // The label's (arity, height) for a branch from the current height.
  static uint64_t arity_height(const Ctrl& t) {
    uint32_t arity = t.kind == Opcode::Loop ? t.param_slots : t.result_slots;
    return (uint64_t{arity} << 32) | t.height;
  }
  void branch(uint32_t label, bool conditional) {
    Ctrl& t = ctrls_[depth_ - 1 - label];
    if (t.function && !conditional) {
      emit(Handler::Return);
      word(result_slots_);
      return;
    }
    uint64_t ah = arity_height(t);
    bool copy = height_ - (ah >> 32) != t.height;
    if (conditional) {
      Emitted* e = copy ? nullptr : fused_producer();
      if (e) {
        consume(e, kBr);
      } else {
        emit(copy ? Handler::BrIfCopy : Handler::BrIf);
      }
    } else {
      emit(copy ? Handler::BrCopy : Handler::Br);
    }
    target_word(t);
    if (copy) word(ah);
  }

  void end_block() {
    Ctrl& c = top();
    barrier();
    uint32_t here = pos();
    if (c.function) {
      emit(Handler::Return);
      word(result_slots_);
    }
    if (c.else_fixup != kNone) patch(c.else_fixup, here);
    for (uint32_t site : c.fixups) patch(site, here);
    reset_stack(c, c.results);
    --depth_;
  }

  void translate(Opcode op, const Immediates& imm);
  void translate_memory_or_simd(Opcode op, const Immediates& imm);
  void apply_signature(Opcode op) {
    const Signature& s = kSignatures[static_cast<unsigned>(op)];
    pop_n(s.param_count);
    if (s.result_count) push(s.result);
  }

  FuncInstance* func_ = nullptr;
  Instance* instance_ = nullptr;
  const Module* module_ = nullptr;
  FunctionCode* out_ = nullptr;
  uint32_t offset_ = 0;
  uint32_t height_ = 0, max_height_ = 0;
  uint32_t result_slots_ = 0;
  uint32_t depth_ = 0;  // control frames in use in ctrls_
  uint32_t dead_ = 0;   // blocks opened inside unreachable code
  std::vector<ValType> types_;
  std::vector<Ctrl> ctrls_;
  std::vector<uint32_t> patch_sites_;
  std::vector<ValType> local_types_;
  std::vector<uint32_t> local_slot_;
  Emitted history_[kHistory] = {};
  unsigned history_size_ = 0;
};

void Translator::translate(Opcode op, const Immediates& imm) {
  switch (op) {
    case Opcode::Unreachable:
      emit(Handler::Unreachable);
      set_dead();
      return;
    case Opcode::Nop:
      return;
    case Opcode::Block:
    case Opcode::Loop:
    case Opcode::If: {
      std::span<const ValType> in, out;
      block_types(imm.block, in, out);
      if (op == Opcode::If) pop();
      uint32_t in_slots = total_slots(in), out_slots = total_slots(out);
      uint32_t height = height_ - in_slots;
      uint32_t type_height = static_cast<uint32_t>(types_.size() - in.size());
      uint32_t else_site = kNone, loop_pc = 0;
      if (op == Opcode::If) {
        if (Emitted* e = fused_producer()) {
          consume(e, kIf);
        } else {
          emit(Handler::IfFalse);
        }
        else_site = pos();
        patch_sites_.push_back(else_site);
        word(0);
      } else if (op == Opcode::Loop) {
        loop_pc = pos();
        emit(Handler::LoopCheck);
      }
      Ctrl& c = push_ctrl();
      c.kind = op;
      c.height = height;
      c.type_height = type_height;
      c.params = in;
      c.results = out;
      c.param_slots = in_slots;
      c.result_slots = out_slots;
      c.loop_pc = loop_pc;
      c.else_fixup = else_site;
      return;
    }
    case Opcode::Else: {
      Ctrl& c = top();
      if (!c.unreachable) {
        emit(Handler::Br);
        target_word(c);
      }
      patch(c.else_fixup, pos());
      barrier();
      c.else_fixup = kNone;
      c.kind = Opcode::Else;
      c.unreachable = false;
      reset_stack(c, c.params);
      return;
    }
    case Opcode::End:
      end_block();
      return;
    case Opcode::Br:
      branch(imm.index, false);
      set_dead();
      return;
    case Opcode::BrIf:
      pop();
      branch(imm.index, true);
      return;
    case Opcode::BrTable: {
      pop();
      emit(Handler::BrTable);
      word(imm.targets.size() - 1);
      for (uint32_t label : imm.targets) {
        Ctrl& t = ctrls_[depth_ - 1 - label];
        target_word(t);
        word(arity_height(t));
      }
      set_dead();
      return;
    }
    case Opcode::Return:
      emit(Handler::Return);
      word(result_slots_);
      set_dead();
      return;
    case Opcode::Call: {
      FuncInstance* callee = instance_->funcs[imm.index];
      pop_n(callee->type.params.size());
      for (ValType t : callee->type.results) push(t);
      emit(callee->is_host() ? Handler::CallHost : Handler::Call);
      ptr(callee);
      return;
    }
    case Opcode::CallIndirect: {
      const FuncType& type = module_->types[imm.index];
      pop();
      pop_n(type.params.size());
      for (ValType t : type.results) push(t);
      emit(Handler::CallIndirect);
      ptr(instance_->tables[imm.index2]);
      ptr(&type);
      return;
    }
    case Opcode::Drop:
      emit(slots_of(pop()) == 2 ? Handler::Drop2 : Handler::Drop);
      return;
    case Opcode::Select:
    case Opcode::SelectT: {
      pop();
      pop();
      ValType t = pop();
      push(t);
      emit(slots_of(t) == 2 ? Handler::Select2 : Handler::Select);
      return;
    }
    case Opcode::LocalGet:
    case Opcode::LocalSet:
    case Opcode::LocalTee: {
      ValType t = local_types_[imm.index];
      bool wide = slots_of(t) == 2;
      if (op == Opcode::LocalGet) {
        push(t);
        emit(wide ? Handler::LocalGet2 : Handler::LocalGet);
        last()->imm = local_slot_[imm.index];
      } else if (op == Opcode::LocalSet) {
        pop();
        Emitted* e = wide ? nullptr : fused_producer();
        if (e) {
          consume(e, kSet);
        } else if (Emitted* g = wide ? nullptr : last(); g && g->handler == Handler::LocalGet) {
          // local.get x; local.set y  ->  local copy x to y.
          uint64_t src = g->imm;
          rewind(g->pos);
          emit(Handler::LocalCopy);
          word(src);
        } else {
          emit(wide ? Handler::LocalSet2 : Handler::LocalSet);
        }
      } else if (Emitted* e = wide ? nullptr : fused_producer()) {
        // op; local.tee x  ->  op-into-x; local.get x, which may fuse with what follows.
        consume(e, kSet);
        word(local_slot_[imm.index]);
        emit(Handler::LocalGet);
        last()->imm = local_slot_[imm.index];
      } else {
        emit(wide ? Handler::LocalTee2 : Handler::LocalTee);
      }
      word(local_slot_[imm.index]);
      return;
    }
    case Opcode::GlobalGet:
    case Opcode::GlobalSet: {
      GlobalInstance* g = instance_->globals[imm.index];
      ValType t = g->type.type;
      bool get = op == Opcode::GlobalGet;
      if (get) {
        push(t);
      } else {
        pop();
      }
      if (t == ValType::V128) {
        emit(get ? Handler::GlobalGet2 : Handler::GlobalSet2);
      } else if (is_reference(t)) {
        emit(get ? Handler::GlobalGetRef : Handler::GlobalSetRef);
      } else {
        emit(get ? Handler::GlobalGet : Handler::GlobalSet);
      }
      ptr(g);
      return;
    }
    case Opcode::TableGet:
    case Opcode::TableSet:
    case Opcode::TableSize:
    case Opcode::TableGrow:
    case Opcode::TableFill: {
      TableInstance* table = instance_->tables[imm.index];
      switch (op) {
        case Opcode::TableGet: pop(); push(table->type.element); emit(Handler::TableGet); break;
        case Opcode::TableSet: pop_n(2); emit(Handler::TableSet); break;
        case Opcode::TableSize: push(ValType::I32); emit(Handler::TableSize); break;
        case Opcode::TableGrow: pop_n(2); push(ValType::I32); emit(Handler::TableGrow); break;
        default: pop_n(3); emit(Handler::TableFill); break;
      }
      ptr(table);
      return;
    }
    case Opcode::TableCopy:
      pop_n(3);
      emit(Handler::TableCopy);
      ptr(instance_->tables[imm.index]);
      ptr(instance_->tables[imm.index2]);
      return;
    case Opcode::TableInit:
      pop_n(3);
      emit(Handler::TableInit);
      ptr(instance_->tables[imm.index2]);
      ptr(instance_);
      word(imm.index);
      return;
    case Opcode::ElemDrop:
      emit(Handler::ElemDrop);
      ptr(instance_);
      word(imm.index);
      return;
    case Opcode::RefNull:
      push(imm.type);
      emit(Handler::RefNull);
      return;
    case Opcode::RefIsNull:
      pop();
      push(ValType::I32);
      emit(Handler::RefIsNull);
      return;
    case Opcode::RefFunc:
      push(ValType::FuncRef);
      emit(Handler::RefFunc);
      ptr(instance_->funcs[imm.index]);
      return;
    case Opcode::MemoryInit:
    case Opcode::DataDrop:
      apply_signature(op);
      emit(op == Opcode::MemoryInit ? Handler::MemoryInit : Handler::DataDrop);
      ptr(instance_);
      word(imm.index);
      return;
    case Opcode::MemoryCopy:
    case Opcode::MemoryFill:
      apply_signature(op);
      emit(op == Opcode::MemoryCopy ? Handler::MemoryCopy : Handler::MemoryFill);
      return;
    default:
      translate_memory_or_simd(op, imm);
      return;
  }
}

// Instructions with a fixed signature: a handler of their own (immediates as their kind
// says) or, for SIMD, one handler per signature class that passes the opcode on.
void Translator::translate_memory_or_simd(Opcode op, const Immediates& imm) {
  const OpcodeInfo& info = opcode_info(op);
  Handler h = kOpcodeHandlers[static_cast<unsigned>(op)];
  if (int k = kFusedIndex[static_cast<unsigned>(op)]; k != kNotFused) {
    emit_fused(op, static_cast<FusedOp>(k));
    apply_signature(op);
    return;
  }
  if (const LoadOp& lo = kLoadOps[static_cast<unsigned>(op)]; lo.load.local != kNoHandler) {
    // fused load; op  ->  op with its right operand loaded (same immediates).
    if (Emitted* e = last()) {
      Handler h = e->handler == lo.load.local    ? lo.op.local
                  : e->handler == lo.load.add_ll ? lo.op.add_ll
                  : e->handler == lo.load.add_lc ? lo.op.add_lc
                                                 : kNoHandler;
      if (h != kNoHandler) {
        set_handler(e->pos, h);
        e->handler = Handler::Count;
        apply_signature(op);
        return;
      }
    }
  }
  if (const FusedLoad& fl = kFusedLoads[static_cast<unsigned>(op)]; fl.local != kNoHandler) {
    if (emit_fused_load(fl, imm.offset)) {
      apply_signature(op);
      return;
    }
  }
  if (h != kNoHandler) {
    emit(h);
    if (op == Opcode::I32Const) last()->imm = imm.bits & 0xffffffffu;
    switch (info.immediate) {
      case ImmediateKind::I32:
      case ImmediateKind::I64:
      case ImmediateKind::F32:
      case ImmediateKind::F64: word(imm.bits); break;
      case ImmediateKind::MemArg: word(imm.offset); break;
      case ImmediateKind::V128: word(imm.bits); word(imm.bits_high); break;
      default: break;
    }
    apply_signature(op);
    return;
  }
  const uint64_t code = static_cast<uint64_t>(op);
  std::string_view sig = info.signature;
  switch (info.immediate) {
    case ImmediateKind::MemArg:
      emit(Handler::SimdLoad);
      word(code);
      word(imm.offset);
      word(info.arg);
      break;
    case ImmediateKind::MemArgLane:
      emit(sig == "iv:v" ? Handler::V128LoadLane : Handler::V128StoreLane);
      word(imm.offset);
      word(info.arg | (uint64_t{imm.lane} << 8));
      break;
    case ImmediateKind::Lane:
      emit(sig[0] == 'v' && sig[1] == ':' ? Handler::SimdExtract : Handler::SimdReplace);
      word(code);
      word(imm.lane);
      break;
    case ImmediateKind::Shuffle: {
      emit(Handler::SimdShuffle);
      uint64_t lanes[2];
      std::memcpy(lanes, imm.shuffle, 16);
      word(lanes[0]);
      word(lanes[1]);
      break;
    }
    default:
      if (sig == "v:v") {
        emit(Handler::SimdUnary);
      } else if (sig == "vv:v") {
        emit(Handler::SimdBinary);
      } else if (sig == "vvv:v") {
        emit(Handler::SimdTernary);
      } else if (sig == "vi:v") {
        emit(Handler::SimdShift);
      } else if (sig == "v:i") {
        emit(Handler::SimdTest);
      } else {
        emit(Handler::SimdSplat);  // "i:v", "l:v", "f:v", "d:v"
      }
      word(code);
      break;
  }
  apply_signature(op);
}

}  // namespace

uint32_t FunctionCode::offset_at(uint32_t at) const {
  auto it = std::upper_bound(offsets.begin(), offsets.end(), at,
                             [](uint32_t v, const auto& e) { return v < e.first; });
  if (it == offsets.begin()) return offsets.empty() ? 0 : offsets.front().second;
  return std::prev(it)->second;
}

FunctionCode* translate(FuncInstance& func) {
  Instance& instance = *func.instance;
  const Module& module = *instance.module;
  const Function& def = module.functions[func.index - module.imported_funcs];
  auto code = std::make_shared<FunctionCode>();
  thread_local Translator translator;
  translator.begin(func, *code);
  Function scratch = def;
  BinaryReader reader(module.bytes, def.body.offset, def.body.offset + def.body.size);
  FunctionValidator<Translator> validator(context_for(instance.module), translator);
  if (!validator.validate(reader, module.types[def.type_index], scratch)) return nullptr;
  func.code = std::move(code);
  return func.code.get();
}

}  // namespace kiln::interp
