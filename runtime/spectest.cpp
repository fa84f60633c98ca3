// The `spectest` host module the spec suite imports from: print functions that write their
// arguments to stdout as the reference interpreter does ("666 : i32"), four immutable
// globals, a table and a memory.
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "runtime/linker.h"

namespace kiln {

namespace {

void print_value(const Value& value) {
  switch (value.type) {
    case ValType::I32:
      std::printf("%" PRId32 " : i32\n", static_cast<int32_t>(value.as_i32()));
      break;
    case ValType::I64:
      std::printf("%" PRId64 " : i64\n", static_cast<int64_t>(value.as_i64()));
      break;
    case ValType::F32: {
      float f;
      const uint32_t bits = value.as_i32();
      std::memcpy(&f, &bits, 4);
      std::printf("%.9g : f32\n", static_cast<double>(f));
      break;
    }
    case ValType::F64: {
      double d;
      std::memcpy(&d, &value.bits, 8);
      std::printf("%.17g : f64\n", d);
      break;
    }
    default:
      std::printf("%s\n", std::string(val_type_name(value.type)).c_str());
      break;
  }
}

void define_print(Store& store, Linker& linker, const char* name, std::vector<ValType> params) {
  HostFunction print = [](HostContext&, std::span<const Value> args, std::span<Value>) -> Status {
    for (const Value& value : args) print_value(value);
    std::fflush(stdout);
    return Ok{};
  };
  linker.define("spectest", name,
                Extern::of(store.add_host_function(FuncType{std::move(params), {}}, print)));
}

void define_global(Store& store, Linker& linker, const char* name, Value value) {
  linker.define("spectest", name,
                Extern::of(store.add_global(GlobalType{value.type, false}, value)));
}

}  // namespace

void define_spectest(Store& store, Linker& linker) {
  using enum ValType;
  define_print(store, linker, "print", {});
  define_print(store, linker, "print_i32", {I32});
  define_print(store, linker, "print_i64", {I64});
  define_print(store, linker, "print_f32", {F32});
  define_print(store, linker, "print_f64", {F64});
  define_print(store, linker, "print_i32_f32", {I32, F32});
  define_print(store, linker, "print_f64_f64", {F64, F64});
  define_global(store, linker, "global_i32", Value::i32(666));
  define_global(store, linker, "global_i64", Value::i64(666));
  define_global(store, linker, "global_f32", Value::f32(666.6f));
  define_global(store, linker, "global_f64", Value::f64(666.6));
  linker.define("spectest", "table",
                Extern::of(store.add_table(TableType{FuncRef, Limits{10, 20}})));
  auto memory = store.add_memory(MemoryType{Limits{1, 2}});
  if (memory) linker.define("spectest", "memory", Extern::of(*memory));
}

}  // namespace kiln
