// The runtime's objects (spec 4.2): the engine, the store that owns every function, table,
// memory and global instance, module instances, and the two entry points: instantiate a
// module and invoke a function.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "runtime/module.h"
#include "runtime/result.h"
#include "runtime/value.h"

namespace kiln {

namespace interp {
struct FunctionCode;  // the interpreter's translation of one function (interpreter.h)
}

struct Instance;
class Store;

/// What a host function sees: the store (for memory, globals and nested calls) and the
/// instance that called it, if a wasm function did.
struct HostContext {
  Store& store;
  Instance* caller = nullptr;
};

/// A host function: reads `args` (already type-checked) and writes every result into
/// `results` (pre-sized, typed with zeros). Returning an Error traps the caller; the error's
/// message becomes the trap's (kind Trap, code Host).
using HostFunction =
    std::function<Status(HostContext& context, std::span<const Value> args, std::span<Value> results)>;

/// A function instance (spec 4.2.6): wasm code of an instance, or a host function.
struct FuncInstance {
  FuncType type;
  Instance* instance = nullptr;  ///< defining instance; null for a host function
  uint32_t index = 0;            ///< function index within instance->module
  HostFunction host;             ///< set for host functions only
  /// The interpreter's translation, made on the first call.
  std::shared_ptr<interp::FunctionCode> code;

  bool is_host() const { return instance == nullptr; }
};

/// A linear memory (spec 4.2.8) on a guard-page reservation: `base` stays put when the
/// memory grows; bytes past `size` up to the reservation's end are inaccessible.
struct MemoryInstance {
  MemoryType type;
  uint8_t* base = nullptr;
  uint64_t size = 0;       ///< current size in bytes (pages * 65536)
  uint64_t max_pages = 0;  ///< effective limit: the declared max, capped by the store's limit
  uint64_t reserved = 0;   ///< bytes of address space reserved at `base`

  uint64_t pages() const { return size / 65536; }
  /// memory.grow: the old size in pages, or -1 (as uint32) when it cannot grow.
  uint32_t grow(uint32_t delta_pages);

  MemoryInstance() = default;
  MemoryInstance(const MemoryInstance&) = delete;
  MemoryInstance& operator=(const MemoryInstance&) = delete;
  ~MemoryInstance();
};

/// A table (spec 4.2.7).
struct TableInstance {
  TableType type;
  std::vector<Ref> elements;
  uint64_t max = 0xffffffff;  ///< effective maximum size

  /// table.grow: the old size, or -1 (as uint32) when it cannot grow.
  uint32_t grow(uint32_t delta, Ref init);
};

/// A global (spec 4.2.9).
struct GlobalInstance {
  GlobalType type;
  Value value;
};

/// An exported or imported entity.
struct Extern {
  ExternKind kind = ExternKind::Func;
  FuncInstance* func = nullptr;
  TableInstance* table = nullptr;
  MemoryInstance* memory = nullptr;
  GlobalInstance* global = nullptr;

  static Extern of(FuncInstance* f) { Extern e; e.kind = ExternKind::Func; e.func = f; return e; }
  static Extern of(TableInstance* t) { Extern e; e.kind = ExternKind::Table; e.table = t; return e; }
  static Extern of(MemoryInstance* m) { Extern e; e.kind = ExternKind::Memory; e.memory = m; return e; }
  static Extern of(GlobalInstance* g) { Extern e; e.kind = ExternKind::Global; e.global = g; return e; }
};

/// A module instance (spec 4.2.5): the module and the addresses of everything it uses,
/// imports first in each index space.
struct Instance {
  std::shared_ptr<const Module> module;
  std::vector<FuncInstance*> funcs;
  std::vector<TableInstance*> tables;
  std::vector<MemoryInstance*> memories;
  std::vector<GlobalInstance*> globals;
  /// Each elem segment's references, evaluated at instantiation; emptied by elem.drop (and
  /// for active and declarative segments once instantiation used them), as the spec says.
  std::vector<std::vector<Ref>> elems;
  std::vector<bool> dropped_datas;  ///< data.drop (and active segments after init)
  std::map<std::string, Extern, std::less<>> exports;

  /// The export `name`, if the module exports it.
  std::optional<Extern> find_export(std::string_view name) const;
  /// The name of function `index` from the name section, or "" (for backtraces).
  std::string function_name(uint32_t index) const;
};

/// Process-wide settings and the interrupt flag; shared by stores.
class Engine {
 public:
  /// Asks running wasm code to stop with the trap "interrupted" at its next function entry
  /// or loop back edge. Safe to call from any thread; stays set until clear_interrupt().
  void interrupt() { interrupt_.store(true, std::memory_order_relaxed); }
  void clear_interrupt() { interrupt_.store(false, std::memory_order_relaxed); }
  bool interrupted() const { return interrupt_.load(std::memory_order_relaxed); }
  const std::atomic<bool>* interrupt_flag() const { return &interrupt_; }

 private:
  std::atomic<bool> interrupt_{false};
};

/// Limits a store applies to what its instances create and run.
struct StoreLimits {
  uint64_t max_memory_pages = 65536;    ///< per memory
  uint64_t max_table_elements = 10000000;
  uint32_t max_call_depth = 10000;      ///< wasm frames before "call stack exhausted"
};

/// Owns every runtime object (spec 4.2.3). Not thread-safe: one thread uses a store at a
/// time (the engine's interrupt flag is the exception).
class Store {
 public:
  explicit Store(Engine& engine, StoreLimits limits = {}) : engine_(engine), limits_(limits) {}

  Engine& engine() { return engine_; }
  const StoreLimits& limits() const { return limits_; }

  /// Fuel: when set, every function entry and loop back edge costs one unit (and
  /// instructions cost as the interpreter counts them); at zero the trap "fuel exhausted".
  std::optional<uint64_t> fuel;

  FuncInstance* add_host_function(FuncType type, HostFunction host);
  /// An error (kind Other) when `type.limits.min` exceeds the store's page limit or no
  /// address space can be reserved.
  Result<MemoryInstance*> add_memory(MemoryType type);
  /// Null when `type.limits.min` exceeds the store's element limit.
  TableInstance* add_table(TableType type, Ref init = nullptr);
  GlobalInstance* add_global(GlobalType type, Value value);

  // Used by instantiation.
  FuncInstance* add_function(FuncInstance function);
  Instance* add_instance(std::unique_ptr<Instance> instance);

 private:
  Engine& engine_;
  StoreLimits limits_;
  std::vector<std::unique_ptr<FuncInstance>> funcs_;
  std::vector<std::unique_ptr<MemoryInstance>> memories_;
  std::vector<std::unique_ptr<TableInstance>> tables_;
  std::vector<std::unique_ptr<GlobalInstance>> globals_;
  std::vector<std::unique_ptr<Instance>> instances_;
};

/// The value of a constant expression in the context of `instance` (its globals and
/// functions), spec 4.4.10.
Value evaluate_const_expr(const Instance& instance, const ConstExpr& expr);

/// Instantiates `module` (spec 4.5.4) with `imports` in the module's import order: checks
/// them (Unlinkable: "incompatible import type", with "unknown import" left to the linker),
/// allocates, evaluates initializers, initializes tables and memories from active segments
/// (a Trap error if one is out of bounds: the instance is not returned, though what it
/// wrote stays, as the spec says) and runs the start function.
Result<Instance*> instantiate(Store& store, std::shared_ptr<const Module> module,
                              std::span<const Extern> imports);

/// Calls `function` with `args` (checked against its type: count and types), returning its
/// results or a Trap error with a backtrace.
Result<std::vector<Value>> invoke(Store& store, FuncInstance& function,
                                  std::span<const Value> args);

}  // namespace kiln
