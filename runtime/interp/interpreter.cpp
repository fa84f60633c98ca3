// The interpreter's run loop: threaded code dispatched by computed goto (GCC and clang),
// untyped 64-bit value slots, and its own frame stack, so that wasm-to-wasm calls never
// recurse natively and deep recursion ends in the trap "call stack exhausted". Handlers
// live in handlers_*.inc by operator family; translation is in translator.cpp.
#include "runtime/interp/interpreter.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <memory>

#include "runtime/interp/function_code.h"
#include "runtime/interp/numeric.h"
#include "runtime/interp/simd.h"

namespace kiln::interp {
namespace {

static_assert(std::endian::native == std::endian::little,
              "slots and lanes are addressed as little-endian bytes");

/// A caller's state, saved on a call.
struct Frame {
  const CodeWord* ret;
  uint64_t* fp;
  FunctionCode* code;
};

constexpr size_t kStackSlots = size_t{1} << 20;  // 8 MiB of value stack per thread
/// Host functions that call back into wasm nest natively; these bound that nesting: at
/// most this many activations, using at most this much native stack between the
/// outermost activation and the newest (well within a 256 KiB thread, also under ASan).
constexpr uint32_t kMaxNesting = 32;
constexpr uintptr_t kMaxNestedStackBytes = 96 * 1024;

/// The value stack and frame stack of a thread, shared by nested activations (a host
/// function that calls back into wasm continues above its caller's values and frames).
struct ThreadState {
  std::unique_ptr<uint64_t[]> stack;
  std::unique_ptr<Frame[]> frames;
  uint32_t frame_capacity = 0;
  uint64_t* top = nullptr;  ///< first free slot, where a nested activation starts
  uint32_t depth = 0;       ///< wasm frames in use on this thread
  uint32_t nesting = 0;     ///< activations in progress
  uintptr_t native_base = 0;  ///< the native stack address of the outermost activation
};
thread_local ThreadState t_state;

// ---- values <-> slots ----

void to_slots(const Value& v, uint64_t*& p) {
  switch (v.type) {
    case ValType::V128: p[0] = v.bits; p[1] = v.high; p += 2; return;
    case ValType::FuncRef:
    case ValType::ExternRef: *p++ = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(v.ref)); return;
    case ValType::I32:
    case ValType::F32: *p++ = static_cast<uint32_t>(v.bits); return;
    default: *p++ = v.bits; return;
  }
}

Value from_slots(ValType type, const uint64_t*& p) {
  Value v = Value::zero(type);
  switch (type) {
    case ValType::V128: v.bits = p[0]; v.high = p[1]; p += 2; break;
    case ValType::FuncRef:
    case ValType::ExternRef: v.ref = reinterpret_cast<Ref>(static_cast<uintptr_t>(*p++)); break;
    case ValType::I32:
    case ValType::F32: v.bits = static_cast<uint32_t>(*p++); break;
    default: v.bits = *p++; break;
  }
  return v;
}

uint32_t slot_count(std::span<const ValType> types) {
  uint32_t n = 0;
  for (ValType t : types) n += slots_of(t);
  return n;
}

/// Calls host function `f` with the arguments on top of the value stack (`sp`) and
/// replaces them with its results: the new stack top, or null with `error` set when it
/// failed. (sp by value: taking the run loop's sp by reference would keep it in memory.)
[[gnu::noinline]] uint64_t* call_host(Store& store, FuncInstance& f, Instance* caller,
                                      uint64_t* sp, Error& error) {
  const FuncType& type = f.type;
  constexpr size_t kSmall = 8;
  Value small_args[kSmall], small_results[kSmall];
  std::vector<Value> big_args, big_results;
  std::span<Value> args(small_args, type.params.size());
  std::span<Value> results(small_results, type.results.size());
  if (type.params.size() > kSmall) {
    big_args.resize(type.params.size());
    args = big_args;
  }
  if (type.results.size() > kSmall) {
    big_results.resize(type.results.size());
    results = big_results;
  }
  uint64_t* base = sp - slot_count(type.params);
  const uint64_t* p = base;
  for (size_t i = 0; i < args.size(); ++i) args[i] = from_slots(type.params[i], p);
  for (size_t i = 0; i < results.size(); ++i) results[i] = Value::zero(type.results[i]);
  t_state.top = base;
  HostContext context{store, caller};
  Status status = f.host(context, args, results);
  if (!status) {
    error = std::move(status).error();
    return nullptr;
  }
  uint64_t* out = base;
  for (const Value& r : results) to_slots(r, out);
  return out;
}

BacktraceFrame backtrace_frame(const FunctionCode& code, const CodeWord* pc) {
  BacktraceFrame frame;
  frame.func_index = code.func->index;
  const Module& module = *code.func->instance->module;
  auto it = module.names.functions.find(frame.func_index);
  if (it != module.names.functions.end()) frame.name = it->second;
  frame.code_offset = code.offset_at(static_cast<uint32_t>(pc - code.code.data()));
  return frame;
}

/// Runs `entry` whose frame (arguments and zeroed locals) starts at `fp`. With `labels`
/// set it only hands out the handler table (the labels exist only inside this function).
Status run(Store* store, FunctionCode* entry, uint64_t* fp, const void* const** labels) {
  static const void* const kLabels[] = {
#define KILN_H(name) &&h_##name,
#define KILN_OPH(name) &&h_##name,
#include "runtime/interp/handlers.def"
#undef KILN_H
#undef KILN_OPH
  };
  static_assert(std::size(kLabels) == static_cast<size_t>(Handler::Count));
  if (labels) {
    *labels = kLabels;
    return Ok{};
  }

  ThreadState& ts = t_state;
  const uint32_t base = ts.depth;  // frames of enclosing activations
  const uint32_t max_depth = std::min<uint32_t>(store->limits().max_call_depth, ts.frame_capacity);
  Frame* frames = ts.frames.get();
  uint64_t* const stack_end = ts.stack.get() + kStackSlots;
  const std::atomic<bool>& interrupt = *store->engine().interrupt_flag();
  uint64_t* fuel = store->fuel ? &*store->fuel : nullptr;

  uint32_t saved = 0;  // frames this activation saved (callers of the current function)
  FunctionCode* cur = entry;
  FunctionCode* callee = nullptr;
  FuncInstance* host_fn = nullptr;
  const CodeWord* pc = cur->code.data();
  const CodeWord* ret = nullptr;
  uint64_t* sp = fp + cur->local_slots;
  uint8_t* mem_base = nullptr;
  uint64_t mem_size = 0;
  TrapCode trap = TrapCode::None;
  Error host_error;
  bool from_host = false;

#define HANDLER(name) h_##name:
#define DISPATCH() goto* pc->handler
#define NEXT(n)  \
  do {           \
    pc += (n);   \
    DISPATCH();  \
  } while (0)
#define TRAP(code)              \
  do {                          \
    trap = TrapCode::code;      \
    goto trap_exit;             \
  } while (0)
#define LOAD_MEMORY()                \
  do {                               \
    if (MemoryInstance* m_ = cur->memory) { \
      mem_base = m_->base;           \
      mem_size = m_->size;           \
    }                                \
  } while (0)
#define POLL()                                                       \
  do {                                                               \
    if (interrupt.load(std::memory_order_relaxed)) [[unlikely]]      \
      TRAP(Interrupted);                                             \
    if (fuel) {                                                      \
      if (*fuel == 0) TRAP(FuelExhausted);                           \
      --*fuel;                                                       \
    }                                                                \
  } while (0)
  // Moves a label's `arity` values down to its `height` (both packed in `ah`).
#define BRANCH_COPY(ah)                                          \
  do {                                                           \
    uint64_t ah_ = (ah);                                         \
    uint32_t arity_ = static_cast<uint32_t>(ah_ >> 32);          \
    uint64_t* dst_ = fp + static_cast<uint32_t>(ah_);            \
    const uint64_t* src_ = sp - arity_;                          \
    for (uint32_t k_ = 0; k_ < arity_; ++k_) dst_[k_] = src_[k_]; \
    sp = dst_ + arity_;                                          \
  } while (0)

  LOAD_MEMORY();
  if (fp + cur->frame_slots > stack_end) TRAP(StackExhausted);
  POLL();
  DISPATCH();

  // A call to a wasm function: `callee` with the caller's return address `ret`.
enter : {
  if (base + saved + 2 > max_depth) TRAP(StackExhausted);
  uint64_t* new_fp = sp - callee->param_slots;
  if (new_fp + callee->frame_slots > stack_end) TRAP(StackExhausted);
  POLL();
  frames[base + saved++] = Frame{ret, fp, cur};
  std::memset(new_fp + callee->param_slots, 0,
              (callee->local_slots - callee->param_slots) * sizeof(uint64_t));
  fp = new_fp;
  sp = fp + callee->local_slots;
  cur = callee;
  pc = cur->code.data();
  LOAD_MEMORY();
  DISPATCH();
}

  // A call to a host function `host_fn`, continuing at `ret`.
host_call : {
  ts.depth = base + saved + 1;
  uint64_t* new_sp = call_host(*store, *host_fn, cur->func->instance, sp, host_error);
  ts.depth = base;
  frames = ts.frames.get();
  fuel = store->fuel ? &*store->fuel : nullptr;
  if (!new_sp) {
    from_host = true;
    goto trap_exit;
  }
  sp = new_sp;
  LOAD_MEMORY();
  pc = ret;
  DISPATCH();
}

#include "runtime/interp/handlers_control.inc"
#include "runtime/interp/handlers_numeric.inc"
#include "runtime/interp/handlers_memory.inc"
#include "runtime/interp/handlers_table.inc"
#include "runtime/interp/handlers_simd.inc"
#include "runtime/interp/handlers_fused.inc"

done:
  return Ok{};

trap_exit : {
  Error error = from_host ? std::move(host_error) : trap_error(trap);
  if (from_host && error.kind != ErrorKind::Trap) {
    error.kind = ErrorKind::Trap;
    error.trap = TrapCode::Host;
  }
  if (error.trap == TrapCode::None) error.trap = TrapCode::Host;
  error.backtrace.push_back(backtrace_frame(*cur, pc));
  for (uint32_t i = saved; i-- > 0;) {
    const Frame& f = frames[base + i];
    error.backtrace.push_back(backtrace_frame(*f.code, f.ret - 1));
  }
  return error;
}

#undef HANDLER
#undef DISPATCH
#undef NEXT
#undef TRAP
#undef LOAD_MEMORY
#undef POLL
#undef BRANCH_COPY
}

/// Sets up this thread's stacks for a store allowing `max_depth` frames.
void prepare_thread(ThreadState& ts, uint32_t max_depth) {
  if (!ts.stack) ts.stack.reset(new uint64_t[kStackSlots]);
  uint32_t want = max_depth + 1;
  if (ts.nesting == 0 && ts.frame_capacity < want) {
    ts.frames.reset(new Frame[want]);
    ts.frame_capacity = want;
  }
}

}  // namespace

const void* const* handler_table() {
  static const void* const* table = [] {
    const void* const* labels = nullptr;
    (void)run(nullptr, nullptr, nullptr, &labels);
    return labels;
  }();
  return table;
}

Status call(Store& store, FuncInstance& function, std::span<const Value> args,
            std::span<Value> results) {
  ThreadState& ts = t_state;
  if (function.is_host()) {
    HostContext context{store, nullptr};
    Status status = function.host(context, args, results);
    if (!status) {
      Error error = std::move(status).error();
      error.kind = ErrorKind::Trap;
      if (error.trap == TrapCode::None) error.trap = TrapCode::Host;
      return error;
    }
    return Ok{};
  }
  prepare_thread(ts, store.limits().max_call_depth);
  // The stack grows down on every supported target.
  const uintptr_t native_here = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (ts.nesting == 0) {
    ts.native_base = native_here;
  } else if (ts.nesting >= kMaxNesting || ts.native_base - native_here > kMaxNestedStackBytes) {
    return trap_error(TrapCode::StackExhausted);
  }
  if (ts.depth + 1 > std::min<uint32_t>(store.limits().max_call_depth, ts.frame_capacity)) {
    return trap_error(TrapCode::StackExhausted);
  }
  FunctionCode* code = function.code.get();
  if (!code) code = translate(function);
  if (!code) return Error(ErrorKind::Other, 0, "function could not be translated");

  uint64_t* fp = ts.top ? ts.top : ts.stack.get();
  if (fp + code->frame_slots > ts.stack.get() + kStackSlots) {
    return trap_error(TrapCode::StackExhausted);
  }
  uint64_t* p = fp;
  for (const Value& v : args) to_slots(v, p);
  std::memset(p, 0, (code->local_slots - code->param_slots) * sizeof(uint64_t));

  uint64_t* saved_top = ts.top;
  uint32_t saved_depth = ts.depth;
  ++ts.nesting;
  Status status = run(&store, code, fp, nullptr);
  --ts.nesting;
  ts.top = saved_top;
  ts.depth = saved_depth;
  if (!status) return status;
  const uint64_t* r = fp;
  for (size_t i = 0; i < results.size(); ++i) results[i] = from_slots(function.type.results[i], r);
  return Ok{};
}

}  // namespace kiln::interp
