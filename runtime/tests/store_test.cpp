// The store's objects on their own: memories on guard-page reservations (grow, limits, a
// base that never moves, zero-size memories), tables, globals, host functions called
// through invoke, and the spectest module's values.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "runtime/linker.h"
#include "runtime/store.h"

namespace kiln {
namespace {

constexpr uint64_t kPage = 65536;

MemoryInstance* new_memory(Store& store, uint64_t min, std::optional<uint64_t> max) {
  auto memory = store.add_memory(MemoryType{Limits{min, max}});
  EXPECT_TRUE(memory.ok()) << (memory.ok() ? "" : memory.error().message);
  return memory.ok() ? *memory : nullptr;
}

TEST(Memory, InitialPagesAreZeroedAndWritable) {
  Engine engine;
  Store store(engine);
  MemoryInstance* memory = new_memory(store, 2, 4);
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->pages(), 2u);
  EXPECT_EQ(memory->size, 2 * kPage);
  EXPECT_EQ(memory->max_pages, 4u);
  EXPECT_GE(memory->reserved, 4 * kPage);
  EXPECT_EQ(memory->base[0], 0);
  EXPECT_EQ(memory->base[2 * kPage - 1], 0);
  memory->base[2 * kPage - 1] = 0x5a;
  EXPECT_EQ(memory->base[2 * kPage - 1], 0x5a);
}

TEST(Memory, ReservesEightGibOfAddressSpace) {
  Engine engine;
  Store store(engine);
  MemoryInstance* memory = new_memory(store, 1, std::nullopt);
  ASSERT_NE(memory, nullptr);
  // The fallback (exactly max pages) is for hosts that cannot reserve; this one can.
  EXPECT_EQ(memory->reserved, uint64_t{8} << 30);
  EXPECT_EQ(memory->max_pages, 65536u);
}

TEST(Memory, GrowKeepsBaseAndContents) {
  Engine engine;
  Store store(engine);
  MemoryInstance* memory = new_memory(store, 1, 10);
  ASSERT_NE(memory, nullptr);
  uint8_t* const base = memory->base;
  memory->base[100] = 42;
  EXPECT_EQ(memory->grow(0), 1u);
  EXPECT_EQ(memory->grow(3), 1u);
  EXPECT_EQ(memory->pages(), 4u);
  EXPECT_EQ(memory->base, base);
  EXPECT_EQ(memory->base[100], 42);
  EXPECT_EQ(memory->base[4 * kPage - 1], 0);
  memory->base[4 * kPage - 1] = 7;  // the new pages are writable
  EXPECT_EQ(memory->grow(6), 4u);
  EXPECT_EQ(memory->pages(), 10u);
  EXPECT_EQ(memory->base, base);
}

TEST(Memory, GrowBeyondDeclaredMaxFails) {
  Engine engine;
  Store store(engine);
  MemoryInstance* memory = new_memory(store, 1, 2);
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->grow(2), 0xffffffffu);
  EXPECT_EQ(memory->pages(), 1u);
  EXPECT_EQ(memory->grow(1), 1u);
  EXPECT_EQ(memory->grow(1), 0xffffffffu);
  EXPECT_EQ(memory->grow(0xffffffffu), 0xffffffffu);
  EXPECT_EQ(memory->pages(), 2u);
}

TEST(Memory, WithoutMaxTheLimitIsFourGib) {
  Engine engine;
  Store store(engine);
  MemoryInstance* memory = new_memory(store, 0, std::nullopt);
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->grow(65537), 0xffffffffu);
  EXPECT_EQ(memory->pages(), 0u);
}

TEST(Memory, StoreLimitCapsGrowthAndCreation) {
  Engine engine;
  StoreLimits limits;
  limits.max_memory_pages = 3;
  Store store(engine, limits);
  MemoryInstance* memory = new_memory(store, 1, 100);
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(memory->max_pages, 3u);
  EXPECT_EQ(memory->grow(2), 1u);
  EXPECT_EQ(memory->grow(1), 0xffffffffu);
  auto too_big = store.add_memory(MemoryType{Limits{4, std::nullopt}});
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().kind, ErrorKind::Other);
}

TEST(Memory, ZeroSizeMemoryHasABase) {
  Engine engine;
  Store store(engine);
  MemoryInstance* memory = new_memory(store, 0, 0);
  ASSERT_NE(memory, nullptr);
  EXPECT_NE(memory->base, nullptr);
  EXPECT_EQ(memory->size, 0u);
  EXPECT_EQ(memory->grow(0), 0u);
  EXPECT_EQ(memory->grow(1), 0xffffffffu);
  EXPECT_NE(memory->base, nullptr);
}

TEST(Memory, ManyMemoriesComeAndGo) {
  // Each store releases its reservations: 8 GiB each would exhaust a 47-bit address space
  // after ~16,000 memories if they leaked.
  Engine engine;
  for (int round = 0; round < 200; ++round) {
    Store store(engine);
    for (int i = 0; i < 100; ++i) ASSERT_NE(new_memory(store, 1, std::nullopt), nullptr);
  }
}

TEST(Memory, FallsBackToTheMaximumWhenAddressSpaceIsLimited) {
  // In a child limited to 2 GiB more address space than it uses (sanitizers reserve
  // terabytes), 8 GiB reservations fail: a memory with a small max reserves exactly that,
  // one without a max (4 GiB) cannot be created.
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    unsigned long long used_pages = 0;
    std::FILE* statm = std::fopen("/proc/self/statm", "r");
    if (statm == nullptr || std::fscanf(statm, "%llu", &used_pages) != 1) _exit(9);
    std::fclose(statm);
    const rlim_t bytes = used_pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) + (uint64_t{2} << 30);
    struct rlimit limit {bytes, bytes};
    if (setrlimit(RLIMIT_AS, &limit) != 0) _exit(10);
    Engine engine;
    Store store(engine);
    auto memory = store.add_memory(MemoryType{Limits{1, 4}});
    if (!memory.ok()) _exit(11);
    if ((*memory)->reserved != 4 * kPage) _exit(12);
    (*memory)->base[kPage - 1] = 1;
    if ((*memory)->grow(3) != 1u || (*memory)->grow(1) != 0xffffffffu) _exit(13);
    (*memory)->base[4 * kPage - 1] = 1;
    auto empty = store.add_memory(MemoryType{Limits{0, 0}});
    if (!empty.ok() || (*empty)->base == nullptr) _exit(14);
    auto unbounded = store.add_memory(MemoryType{Limits{1, std::nullopt}});
    if (unbounded.ok()) _exit(15);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(Table, GrowWithinDeclaredMax) {
  Engine engine;
  Store store(engine);
  TableInstance* table = store.add_table(TableType{ValType::FuncRef, Limits{2, 5}});
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->elements.size(), 2u);
  EXPECT_EQ(table->elements[0], nullptr);
  EXPECT_EQ(table->max, 5u);
  int marker = 0;
  EXPECT_EQ(table->grow(3, &marker), 2u);
  EXPECT_EQ(table->elements.size(), 5u);
  EXPECT_EQ(table->elements[1], nullptr);
  EXPECT_EQ(table->elements[2], &marker);
  EXPECT_EQ(table->elements[4], &marker);
  EXPECT_EQ(table->grow(1, nullptr), 0xffffffffu);
  EXPECT_EQ(table->grow(0, nullptr), 5u);
  EXPECT_EQ(table->elements.size(), 5u);
}

TEST(Table, InitialValueAndStoreLimit) {
  Engine engine;
  StoreLimits limits;
  limits.max_table_elements = 100;
  Store store(engine, limits);
  int marker = 0;
  TableInstance* table = store.add_table(TableType{ValType::ExternRef, Limits{3, std::nullopt}}, &marker);
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->elements[2], &marker);
  EXPECT_EQ(table->max, 100u);
  EXPECT_EQ(table->grow(97, nullptr), 3u);
  EXPECT_EQ(table->grow(1, nullptr), 0xffffffffu);
  EXPECT_EQ(table->grow(0xffffffffu, nullptr), 0xffffffffu);
  EXPECT_EQ(store.add_table(TableType{ValType::FuncRef, Limits{101, std::nullopt}}), nullptr);
}

TEST(Table, DefaultLimitIsTenMillion) {
  Engine engine;
  Store store(engine);
  TableInstance* table = store.add_table(TableType{ValType::FuncRef, Limits{0, std::nullopt}});
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->max, 10000000u);
  EXPECT_EQ(table->grow(0xfffffff0u, nullptr), 0xffffffffu);
}

TEST(Global, KeepsTypeAndValue) {
  Engine engine;
  Store store(engine);
  GlobalInstance* global = store.add_global(GlobalType{ValType::I64, true}, Value::i64(-5));
  EXPECT_EQ(global->type.type, ValType::I64);
  EXPECT_TRUE(global->type.mutable_);
  EXPECT_EQ(global->value.as_i64(), static_cast<uint64_t>(-5));
}

TEST(Invoke, HostFunctionGetsArgumentsAndTypedResults) {
  Engine engine;
  Store store(engine);
  FuncInstance* add = store.add_host_function(
      FuncType{{ValType::I32, ValType::I32}, {ValType::I32, ValType::F64}},
      [](HostContext&, std::span<const Value> args, std::span<Value> results) -> Status {
        EXPECT_EQ(results.size(), 2u);
        EXPECT_EQ(results[1].type, ValType::F64);
        results[0].bits = args[0].as_i32() + args[1].as_i32();
        return Ok{};
      });
  EXPECT_TRUE(add->is_host());
  const Value args[] = {Value::i32(40), Value::i32(2)};
  auto results = invoke(store, *add, args);
  ASSERT_TRUE(results.ok()) << results.error().message;
  ASSERT_EQ(results->size(), 2u);
  EXPECT_EQ((*results)[0].type, ValType::I32);
  EXPECT_EQ((*results)[0].as_i32(), 42u);
  EXPECT_EQ((*results)[1].type, ValType::F64);
  EXPECT_EQ((*results)[1].bits, 0u);
}

TEST(Invoke, ArgumentsAreChecked) {
  Engine engine;
  Store store(engine);
  int calls = 0;
  FuncInstance* f = store.add_host_function(
      FuncType{{ValType::I32}, {}},
      [&calls](HostContext&, std::span<const Value>, std::span<Value>) -> Status {
        ++calls;
        return Ok{};
      });
  auto none = invoke(store, *f, {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind, ErrorKind::Other);
  EXPECT_EQ(none.error().message.rfind("type mismatch", 0), 0u) << none.error().message;
  const Value wrong[] = {Value::i64(1)};
  auto typed = invoke(store, *f, wrong);
  ASSERT_FALSE(typed.ok());
  EXPECT_EQ(typed.error().message.rfind("type mismatch", 0), 0u) << typed.error().message;
  EXPECT_EQ(calls, 0);
}

TEST(Invoke, HostErrorBecomesHostTrap) {
  Engine engine;
  Store store(engine);
  FuncInstance* f = store.add_host_function(
      FuncType{}, [](HostContext&, std::span<const Value>, std::span<Value>) -> Status {
        return Error{ErrorKind::Other, 0, "disk on fire"};
      });
  auto result = invoke(store, *f, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::Trap);
  EXPECT_EQ(result.error().trap, TrapCode::Host);
  EXPECT_EQ(result.error().message, "disk on fire");
}

TEST(Spectest, DefinesTheReferenceValues) {
  Engine engine;
  Store store(engine);
  Linker linker;
  define_spectest(store, linker);
  auto module = std::make_shared<Module>();
  auto import = [&](const char* name, ExternKind kind) {
    Import i;
    i.module = "spectest";
    i.name = name;
    i.kind = kind;
    module->imports.push_back(i);
  };
  for (const char* name : {"global_i32", "global_i64", "global_f32", "global_f64"}) {
    import(name, ExternKind::Global);
  }
  import("table", ExternKind::Table);
  import("memory", ExternKind::Memory);
  for (const char* name : {"print", "print_i32", "print_i64", "print_f32", "print_f64",
                           "print_i32_f32", "print_f64_f64"}) {
    import(name, ExternKind::Func);
  }
  auto externs = linker.resolve(*module);
  ASSERT_TRUE(externs.ok()) << externs.error().message;
  const std::vector<Extern>& e = *externs;
  EXPECT_EQ(e[0].global->value.as_i32(), 666u);
  EXPECT_EQ(e[0].global->type, (GlobalType{ValType::I32, false}));
  EXPECT_EQ(e[1].global->value.as_i64(), 666u);
  EXPECT_EQ(e[1].global->type.type, ValType::I64);
  float f;
  uint32_t fbits = e[2].global->value.as_i32();
  std::memcpy(&f, &fbits, 4);
  EXPECT_EQ(f, 666.6f);
  EXPECT_EQ(e[2].global->type.type, ValType::F32);
  double d;
  std::memcpy(&d, &e[3].global->value.bits, 8);
  EXPECT_EQ(d, 666.6);
  EXPECT_FALSE(e[3].global->type.mutable_);
  EXPECT_EQ(e[4].table->elements.size(), 10u);
  EXPECT_EQ(e[4].table->max, 20u);
  EXPECT_EQ(e[4].table->type.element, ValType::FuncRef);
  EXPECT_EQ(e[5].memory->pages(), 1u);
  EXPECT_EQ(e[5].memory->max_pages, 2u);
  EXPECT_EQ(e[6].func->type, FuncType{});
  EXPECT_EQ(e[11].func->type, (FuncType{{ValType::I32, ValType::F32}, {}}));
  EXPECT_EQ(e[12].func->type, (FuncType{{ValType::F64, ValType::F64}, {}}));

  testing::internal::CaptureStdout();
  const Value args[] = {Value::i32(666), Value::f32(1.5f)};
  auto printed = invoke(store, *e[11].func, args);
  EXPECT_TRUE(printed.ok());
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "666 : i32\n1.5 : f32\n");
}

}  // namespace
}  // namespace kiln
