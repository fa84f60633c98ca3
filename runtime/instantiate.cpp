// Module instantiation (spec 4.5.4): import checking, allocation, constant expressions,
// table and memory initialization from active segments, and the start function.
#include <cstring>
#include <memory>
#include <utility>

#include "runtime/store.h"

namespace kiln {

namespace {

Error unlinkable(std::string message) {
  return Error{ErrorKind::Unlinkable, 0, std::move(message)};
}

/// Limits subtyping (spec 4.5.1 "import matching"): the provided limits must be within the
/// declared ones.
bool limits_match(const Limits& provided, const Limits& declared) {
  if (provided.min < declared.min) return false;
  if (!declared.max) return true;
  return provided.max && *provided.max <= *declared.max;
}

/// The limits an imported table or memory has now: its current size, and its maximum.
Limits current_limits(uint64_t size, const Limits& type) { return Limits{size, type.max}; }

Status check_import(const Module& module, const Import& import, const Extern& value) {
  if (value.kind != import.kind) return unlinkable("incompatible import type");
  switch (import.kind) {
    case ExternKind::Func:
      if (value.func == nullptr || value.func->type != module.types[import.func_type]) {
        return unlinkable("incompatible import type");
      }
      break;
    case ExternKind::Table: {
      const TableInstance* table = value.table;
      if (table == nullptr || table->type.element != import.table.element ||
          !limits_match(current_limits(table->elements.size(), table->type.limits),
                        import.table.limits)) {
        return unlinkable("incompatible import type");
      }
      break;
    }
    case ExternKind::Memory: {
      const MemoryInstance* memory = value.memory;
      if (memory == nullptr ||
          !limits_match(current_limits(memory->pages(), memory->type.limits),
                        import.memory.limits)) {
        return unlinkable("incompatible import type");
      }
      break;
    }
    case ExternKind::Global:
      if (value.global == nullptr || value.global->type != import.global) {
        return unlinkable("incompatible import type");
      }
      break;
  }
  return Ok{};
}

Instance* allocate(Store& store, std::shared_ptr<const Module> module,
                   std::span<const Extern> imports, Error& error) {
  auto owned = std::make_unique<Instance>();
  Instance* instance = store.add_instance(std::move(owned));
  instance->module = module;
  for (const Extern& value : imports) {
    switch (value.kind) {
      case ExternKind::Func: instance->funcs.push_back(value.func); break;
      case ExternKind::Table: instance->tables.push_back(value.table); break;
      case ExternKind::Memory: instance->memories.push_back(value.memory); break;
      case ExternKind::Global: instance->globals.push_back(value.global); break;
    }
  }
  for (size_t i = 0; i < module->functions.size(); ++i) {
    FuncInstance function;
    function.type = module->types[module->functions[i].type_index];
    function.instance = instance;
    function.index = module->imported_funcs + static_cast<uint32_t>(i);
    instance->funcs.push_back(store.add_function(std::move(function)));
  }
  for (const TableType& type : module->tables) {
    TableInstance* table = store.add_table(type, nullptr);
    if (table == nullptr) {
      error = Error{ErrorKind::Other, 0, "table size exceeds the store's limit"};
      return nullptr;
    }
    instance->tables.push_back(table);
  }
  for (const MemoryType& type : module->memories) {
    auto memory = store.add_memory(type);
    if (!memory) {
      error = memory.error();
      return nullptr;
    }
    instance->memories.push_back(*memory);
  }
  // Each initializer sees the imported globals (and, with extended constant expressions,
  // the globals defined before it).
  for (const Global& global : module->globals) {
    Value value = evaluate_const_expr(*instance, global.init);
    instance->globals.push_back(store.add_global(global.type, value));
  }
  for (const Export& e : module->exports) {
    Extern value;
    switch (e.kind) {
      case ExternKind::Func: value = Extern::of(instance->funcs[e.index]); break;
      case ExternKind::Table: value = Extern::of(instance->tables[e.index]); break;
      case ExternKind::Memory: value = Extern::of(instance->memories[e.index]); break;
      case ExternKind::Global: value = Extern::of(instance->globals[e.index]); break;
    }
    instance->exports.emplace(e.name, value);
  }
  instance->elems.reserve(module->elems.size());
  for (const ElemSegment& segment : module->elems) {
    std::vector<Ref> refs;
    refs.reserve(segment.elements.size());
    for (const ConstExpr& expr : segment.elements) {
      refs.push_back(evaluate_const_expr(*instance, expr).ref);
    }
    instance->elems.push_back(std::move(refs));
  }
  instance->dropped_datas.assign(module->datas.size(), false);
  return instance;
}

/// table.init of a whole active segment, then elem.drop.
Status initialize_table(Instance& instance, uint32_t segment_index) {
  const ElemSegment& segment = instance.module->elems[segment_index];
  std::vector<Ref>& refs = instance.elems[segment_index];
  TableInstance& table = *instance.tables[segment.table];
  const uint64_t offset = evaluate_const_expr(instance, segment.offset).as_i32();
  if (offset + refs.size() > table.elements.size()) {
    return trap_error(TrapCode::TableOutOfBounds);
  }
  std::copy(refs.begin(), refs.end(), table.elements.begin() + static_cast<ptrdiff_t>(offset));
  refs.clear();
  refs.shrink_to_fit();
  return Ok{};
}

/// memory.init of a whole active segment, then data.drop.
Status initialize_memory(Instance& instance, uint32_t segment_index) {
  const DataSegment& segment = instance.module->datas[segment_index];
  MemoryInstance& memory = *instance.memories[segment.memory];
  const uint64_t offset = evaluate_const_expr(instance, segment.offset).as_i32();
  if (offset + segment.bytes.size > memory.size) {
    return trap_error(TrapCode::MemoryOutOfBounds);
  }
  if (segment.bytes.size > 0) {
    std::memcpy(memory.base + offset, instance.module->bytes.data() + segment.bytes.offset,
                segment.bytes.size);
  }
  instance.dropped_datas[segment_index] = true;
  return Ok{};
}

}  // namespace

Value evaluate_const_expr(const Instance& instance, const ConstExpr& expr) {
  // Wasm 2.0 initializers are one instruction; the small stack also covers extended
  // constant expressions (i32/i64 add, sub, mul).
  Value stack[16];
  size_t height = 0;
  for (const ConstInstr& instr : expr.instrs) {
    if (height == std::size(stack)) break;
    switch (instr.op) {
      case Opcode::I32Const: stack[height++] = Value::i32(static_cast<uint32_t>(instr.bits)); break;
      case Opcode::I64Const: stack[height++] = Value::i64(instr.bits); break;
      case Opcode::F32Const: stack[height++] = Value::f32_bits(static_cast<uint32_t>(instr.bits)); break;
      case Opcode::F64Const: stack[height++] = Value::f64_bits(instr.bits); break;
      case Opcode::V128Const: stack[height++] = Value::v128(V128{instr.bits, instr.bits_high}); break;
      case Opcode::RefNull: stack[height++] = Value::zero(instr.ref_type); break;
      case Opcode::RefFunc: stack[height++] = Value::funcref(instance.funcs[instr.index]); break;
      case Opcode::GlobalGet: stack[height++] = instance.globals[instr.index]->value; break;
      case Opcode::I32Add:
      case Opcode::I32Sub:
      case Opcode::I32Mul:
      case Opcode::I64Add:
      case Opcode::I64Sub:
      case Opcode::I64Mul: {
        if (height < 2) break;
        const Value b = stack[--height];
        Value& a = stack[height - 1];
        uint64_t r = instr.op == Opcode::I32Add || instr.op == Opcode::I64Add   ? a.bits + b.bits
                     : instr.op == Opcode::I32Sub || instr.op == Opcode::I64Sub ? a.bits - b.bits
                                                                                : a.bits * b.bits;
        const bool is32 = instr.op == Opcode::I32Add || instr.op == Opcode::I32Sub ||
                          instr.op == Opcode::I32Mul;
        a = is32 ? Value::i32(static_cast<uint32_t>(r)) : Value::i64(r);
        break;
      }
      default: break;  // validation admits nothing else
    }
  }
  return height > 0 ? stack[height - 1] : Value{};
}

Result<Instance*> instantiate(Store& store, std::shared_ptr<const Module> module,
                              std::span<const Extern> imports) {
  if (imports.size() != module->imports.size()) {
    return unlinkable("wrong number of imports: expected " +
                      std::to_string(module->imports.size()) + ", got " +
                      std::to_string(imports.size()));
  }
  for (size_t i = 0; i < imports.size(); ++i) {
    auto checked = check_import(*module, module->imports[i], imports[i]);
    if (!checked) return std::move(checked).error();
  }
  Error error;
  Instance* instance = allocate(store, module, imports, error);
  if (instance == nullptr) return error;

  for (uint32_t i = 0; i < module->elems.size(); ++i) {
    const ElemSegment& segment = module->elems[i];
    if (segment.mode == SegmentMode::Active) {
      auto done = initialize_table(*instance, i);
      if (!done) return std::move(done).error();
    } else if (segment.mode == SegmentMode::Declarative) {
      instance->elems[i].clear();
      instance->elems[i].shrink_to_fit();
    }
  }
  for (uint32_t i = 0; i < module->datas.size(); ++i) {
    if (module->datas[i].mode != SegmentMode::Active) continue;
    auto done = initialize_memory(*instance, i);
    if (!done) return std::move(done).error();
  }
  if (module->start) {
    auto started = invoke(store, *instance->funcs[*module->start], {});
    if (!started) return std::move(started).error();
  }
  return instance;
}

}  // namespace kiln
