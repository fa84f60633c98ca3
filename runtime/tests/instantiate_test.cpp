// Instantiation (spec 4.5.4) without running wasm code: import matching, allocation,
// globals initialized from imports, active/passive/declarative segments, traps that leave
// earlier writes in place, exports, the linker, and a start function that is a host import.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "runtime/decoder.h"
#include "runtime/linker.h"
#include "runtime/store.h"
#include "runtime/text/wat.h"

namespace kiln {
namespace {

std::shared_ptr<const Module> compile(std::string_view text) {
  auto binary = wat_to_binary(text);
  EXPECT_TRUE(binary.ok()) << text << ": " << (binary.ok() ? "" : binary.error().message);
  if (!binary.ok()) return nullptr;
  auto module = decode_module(*binary);
  EXPECT_TRUE(module.ok()) << text << ": " << (module.ok() ? "" : module.error().message);
  return module.ok() ? *module : nullptr;
}

class InstantiateTest : public testing::Test {
 protected:
  Engine engine_;
  Store store_{engine_};
  Linker linker_;

  Result<Instance*> instantiate_text(std::string_view text) {
    auto module = compile(text);
    if (!module) return Error{ErrorKind::Other, 0, "does not compile"};
    return linker_.instantiate(store_, module);
  }

  /// The Unlinkable message of instantiating `text`, or "<ok>".
  std::string link_error(std::string_view text) {
    auto instance = instantiate_text(text);
    if (instance.ok()) return "<ok>";
    EXPECT_EQ(instance.error().kind, ErrorKind::Unlinkable) << instance.error().message;
    return instance.error().message;
  }

  FuncInstance* host_function(FuncType type, int* calls = nullptr) {
    return store_.add_host_function(
        std::move(type), [calls](HostContext&, std::span<const Value>, std::span<Value>) -> Status {
          if (calls != nullptr) ++*calls;
          return Ok{};
        });
  }
};

TEST_F(InstantiateTest, EmptyModule) {
  auto instance = instantiate_text("(module)");
  ASSERT_TRUE(instance.ok()) << instance.error().message;
  EXPECT_TRUE((*instance)->exports.empty());
}

TEST_F(InstantiateTest, UnknownImportNamesTheMissingOne) {
  std::string message = link_error(R"((module (import "m" "f" (func))))");
  EXPECT_EQ(message.rfind("unknown import", 0), 0u) << message;
  EXPECT_NE(message.find("\"m\" \"f\""), std::string::npos) << message;
}

TEST_F(InstantiateTest, FunctionImportTypesMustBeEqual) {
  linker_.define("m", "f", Extern::of(host_function(FuncType{{ValType::I32}, {}})));
  EXPECT_EQ(link_error(R"((module (import "m" "f" (func (param i32)))))"), "<ok>");
  EXPECT_EQ(link_error(R"((module (import "m" "f" (func))))"), "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "f" (func (param i64)))))"),
            "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "f" (func (param i32) (result i32)))))"),
            "incompatible import type");
}

TEST_F(InstantiateTest, ImportKindMustMatch) {
  linker_.define("m", "f", Extern::of(host_function(FuncType{})));
  linker_.define("m", "g", Extern::of(store_.add_global(GlobalType{ValType::I32, false},
                                                       Value::i32(1))));
  EXPECT_EQ(link_error(R"((module (import "m" "f" (global i32))))"), "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "g" (func))))"), "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "f" (memory 0))))"), "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "f" (table 0 funcref))))"),
            "incompatible import type");
}

TEST_F(InstantiateTest, TableImportLimitsAndElementType) {
  linker_.define("m", "t", Extern::of(store_.add_table(TableType{ValType::FuncRef, Limits{10, 20}})));
  linker_.define("m", "open", Extern::of(store_.add_table(TableType{ValType::FuncRef, Limits{10, std::nullopt}})));
  linker_.define("m", "ext", Extern::of(store_.add_table(TableType{ValType::ExternRef, Limits{10, 20}})));
  EXPECT_EQ(link_error(R"((module (import "m" "t" (table 10 funcref))))"), "<ok>");
  EXPECT_EQ(link_error(R"((module (import "m" "t" (table 5 20 funcref))))"), "<ok>");
  EXPECT_EQ(link_error(R"((module (import "m" "t" (table 10 30 funcref))))"), "<ok>");
  EXPECT_EQ(link_error(R"((module (import "m" "t" (table 11 funcref))))"),
            "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "t" (table 10 15 funcref))))"),
            "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "open" (table 10 funcref))))"), "<ok>");
  EXPECT_EQ(link_error(R"((module (import "m" "open" (table 10 100 funcref))))"),
            "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "ext" (table 10 funcref))))"),
            "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "ext" (table 10 externref))))"), "<ok>");
}

TEST_F(InstantiateTest, MemoryImportLimitsUseTheCurrentSize) {
  auto memory = store_.add_memory(MemoryType{Limits{1, 4}});
  ASSERT_TRUE(memory.ok());
  linker_.define("m", "mem", Extern::of(*memory));
  EXPECT_EQ(link_error(R"((module (import "m" "mem" (memory 1 4))))"), "<ok>");
  EXPECT_EQ(link_error(R"((module (import "m" "mem" (memory 2))))"), "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "mem" (memory 0 3))))"), "incompatible import type");
  EXPECT_EQ((*memory)->grow(1), 1u);
  EXPECT_EQ(link_error(R"((module (import "m" "mem" (memory 2))))"), "<ok>");
}

TEST_F(InstantiateTest, GlobalImportTypeAndMutability) {
  linker_.define("m", "c", Extern::of(store_.add_global(GlobalType{ValType::I32, false}, Value::i32(7))));
  linker_.define("m", "v", Extern::of(store_.add_global(GlobalType{ValType::I32, true}, Value::i32(7))));
  EXPECT_EQ(link_error(R"((module (import "m" "c" (global i32))))"), "<ok>");
  EXPECT_EQ(link_error(R"((module (import "m" "v" (global (mut i32)))))"), "<ok>");
  EXPECT_EQ(link_error(R"((module (import "m" "c" (global (mut i32)))))"),
            "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "v" (global i32))))"), "incompatible import type");
  EXPECT_EQ(link_error(R"((module (import "m" "c" (global i64))))"), "incompatible import type");
}

TEST_F(InstantiateTest, WrongNumberOfImportsIsUnlinkable) {
  auto module = compile(R"((module (import "m" "f" (func))))");
  ASSERT_TRUE(module);
  auto instance = instantiate(store_, module, {});
  ASSERT_FALSE(instance.ok());
  EXPECT_EQ(instance.error().kind, ErrorKind::Unlinkable);
}

TEST_F(InstantiateTest, GlobalsInitializedFromImportedGlobals) {
  linker_.define("m", "g", Extern::of(store_.add_global(GlobalType{ValType::I64, false}, Value::i64(99))));
  auto instance = instantiate_text(R"((module
    (import "m" "g" (global i64))
    (global (export "copy") i64 (global.get 0))
    (global (export "mine") (mut f32) (f32.const 1.5))
    (global (export "ref") funcref (ref.func $f))
    (func $f (export "f"))))");
  ASSERT_TRUE(instance.ok()) << instance.error().message;
  Instance& i = **instance;
  ASSERT_EQ(i.globals.size(), 4u);  // the import first
  auto copy = i.find_export("copy");
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->kind, ExternKind::Global);
  EXPECT_EQ(copy->global->value.as_i64(), 99u);
  EXPECT_EQ(copy->global->value.type, ValType::I64);
  auto mine = i.find_export("mine");
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->global->value.bits, 0x3fc00000u);
  EXPECT_TRUE(mine->global->type.mutable_);
  auto ref = i.find_export("ref");
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->global->value.ref, i.funcs[0]);
}

TEST_F(InstantiateTest, FunctionsAndExports) {
  int calls = 0;
  linker_.define("m", "h", Extern::of(host_function(FuncType{}, &calls)));
  auto instance = instantiate_text(R"((module
    (import "m" "h" (func $h))
    (func $a (export "a") (param i32) (result i32) (local.get 0))
    (func $b)
    (export "h2" (func $h))
    (table (export "t") 1 funcref)
    (memory (export "mem") 1)))");
  ASSERT_TRUE(instance.ok()) << instance.error().message;
  Instance& i = **instance;
  ASSERT_EQ(i.funcs.size(), 3u);
  EXPECT_TRUE(i.funcs[0]->is_host());
  EXPECT_EQ(i.funcs[1]->instance, &i);
  EXPECT_EQ(i.funcs[1]->index, 1u);
  EXPECT_EQ(i.funcs[2]->index, 2u);
  EXPECT_EQ(i.funcs[1]->type, (FuncType{{ValType::I32}, {ValType::I32}}));
  EXPECT_EQ(i.exports.size(), 4u);
  EXPECT_EQ(i.find_export("a")->func, i.funcs[1]);
  EXPECT_EQ(i.find_export("h2")->func, i.funcs[0]);
  EXPECT_EQ(i.find_export("t")->kind, ExternKind::Table);
  EXPECT_EQ(i.find_export("mem")->memory->pages(), 1u);
  EXPECT_FALSE(i.find_export("b"));
  EXPECT_FALSE(i.find_export(""));

  // Registered exports are importable by the next module.
  linker_.define_instance("first", i);
  auto second = instantiate_text(R"((module (import "first" "h2" (func)) (import "first" "mem" (memory 1))))");
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ((*second)->funcs[0], i.funcs[0]);
  EXPECT_EQ((*second)->memories[0], i.memories[0]);
}

TEST_F(InstantiateTest, SegmentsInitializeTablesAndMemories) {
  auto offset = store_.add_global(GlobalType{ValType::I32, false}, Value::i32(5));
  linker_.define("m", "offset", Extern::of(offset));
  auto instance = instantiate_text(R"((module
    (import "m" "offset" (global $off i32))
    (table 8 funcref)
    (memory 1)
    (func $f) (func $g)
    (elem (i32.const 1) $f $g)
    (elem (global.get $off) $g)
    (elem $passive func $f $g $f)
    (elem declare func $g)
    (data (i32.const 10) "hi")
    (data (global.get $off) "\01\02")
    (data $later "passive")))");
  ASSERT_TRUE(instance.ok()) << instance.error().message;
  Instance& i = **instance;
  const std::vector<Ref>& table = i.tables[0]->elements;
  EXPECT_EQ(table[0], nullptr);
  EXPECT_EQ(table[1], i.funcs[0]);
  EXPECT_EQ(table[2], i.funcs[1]);
  EXPECT_EQ(table[5], i.funcs[1]);
  EXPECT_EQ(table[6], nullptr);
  ASSERT_EQ(i.elems.size(), 4u);
  EXPECT_TRUE(i.elems[0].empty());  // active: dropped after use
  EXPECT_TRUE(i.elems[1].empty());
  ASSERT_EQ(i.elems[2].size(), 3u);  // passive: kept for table.init
  EXPECT_EQ(i.elems[2][1], i.funcs[1]);
  EXPECT_TRUE(i.elems[3].empty());  // declarative: dropped
  const uint8_t* memory = i.memories[0]->base;
  EXPECT_EQ(std::memcmp(memory + 10, "hi", 2), 0);
  EXPECT_EQ(memory[5], 1);
  EXPECT_EQ(memory[6], 2);
  EXPECT_EQ(memory[12], 0);
  EXPECT_EQ(i.dropped_datas, (std::vector<bool>{true, true, false}));
}

TEST_F(InstantiateTest, OutOfBoundsElemSegmentTrapsAndKeepsEarlierWrites) {
  TableInstance* table = store_.add_table(TableType{ValType::FuncRef, Limits{3, std::nullopt}});
  auto memory = store_.add_memory(MemoryType{Limits{1, std::nullopt}});
  ASSERT_TRUE(memory.ok());
  linker_.define("m", "t", Extern::of(table));
  linker_.define("m", "mem", Extern::of(*memory));
  auto instance = instantiate_text(R"((module
    (import "m" "t" (table 3 funcref))
    (import "m" "mem" (memory 1))
    (func $f)
    (elem (i32.const 0) $f)
    (elem (i32.const 2) $f $f)
    (data (i32.const 0) "never")))");
  ASSERT_FALSE(instance.ok());
  EXPECT_EQ(instance.error().kind, ErrorKind::Trap);
  EXPECT_EQ(instance.error().trap, TrapCode::TableOutOfBounds);
  EXPECT_EQ(instance.error().message, "out of bounds table access");
  EXPECT_NE(table->elements[0], nullptr);  // the first segment's write stays
  EXPECT_EQ(table->elements[2], nullptr);  // the failing segment wrote nothing
  EXPECT_EQ((*memory)->base[0], 0);        // data segments never ran
  // The function the table now refers to stays alive in the store.
  auto* function = static_cast<FuncInstance*>(table->elements[0]);
  EXPECT_EQ(function->type, FuncType{});
}

TEST_F(InstantiateTest, OutOfBoundsDataSegmentTrapsAndKeepsEarlierWrites) {
  auto memory = store_.add_memory(MemoryType{Limits{1, std::nullopt}});
  ASSERT_TRUE(memory.ok());
  linker_.define("m", "mem", Extern::of(*memory));
  auto instance = instantiate_text(R"((module
    (import "m" "mem" (memory 1))
    (data (i32.const 0) "ok")
    (data (i32.const 65535) "xy")
    (data (i32.const 4) "no")))");
  ASSERT_FALSE(instance.ok());
  EXPECT_EQ(instance.error().kind, ErrorKind::Trap);
  EXPECT_EQ(instance.error().trap, TrapCode::MemoryOutOfBounds);
  EXPECT_EQ(instance.error().message, "out of bounds memory access");
  EXPECT_EQ(std::memcmp((*memory)->base, "ok", 2), 0);
  EXPECT_EQ((*memory)->base[65535], 0);
  EXPECT_EQ((*memory)->base[4], 0);
}

TEST_F(InstantiateTest, EmptySegmentsAtTheEndAreInBounds) {
  auto instance = instantiate_text(R"((module
    (table 2 funcref) (memory 1)
    (elem (i32.const 2))
    (data (i32.const 65536) "")))");
  ASSERT_TRUE(instance.ok()) << instance.error().message;
  auto past = instantiate_text(R"((module (memory 1) (data (i32.const 65537) "")))");
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().trap, TrapCode::MemoryOutOfBounds);
  auto past_table = instantiate_text(R"((module (table 2 funcref) (elem (i32.const 3))))");
  ASSERT_FALSE(past_table.ok());
  EXPECT_EQ(past_table.error().trap, TrapCode::TableOutOfBounds);
}

TEST_F(InstantiateTest, StartFunctionRunsOnceAfterSegments) {
  int calls = 0;
  linker_.define("m", "f", Extern::of(host_function(FuncType{}, &calls)));
  auto instance = instantiate_text(R"((module (import "m" "f" (func)) (start 0)))");
  ASSERT_TRUE(instance.ok()) << instance.error().message;
  EXPECT_EQ(calls, 1);
  auto no_start = instantiate_text(R"((module (import "m" "f" (func))))");
  ASSERT_TRUE(no_start.ok());
  EXPECT_EQ(calls, 1);
}

TEST_F(InstantiateTest, StartFunctionSeesInitializedMemory) {
  auto memory = store_.add_memory(MemoryType{Limits{1, std::nullopt}});
  ASSERT_TRUE(memory.ok());
  MemoryInstance* mem = *memory;
  uint8_t seen = 0;
  FuncInstance* start = store_.add_host_function(
      FuncType{}, [mem, &seen](HostContext&, std::span<const Value>, std::span<Value>) -> Status {
        seen = mem->base[3];
        return Ok{};
      });
  linker_.define("m", "start", Extern::of(start));
  linker_.define("m", "mem", Extern::of(mem));
  auto instance = instantiate_text(R"((module
    (import "m" "start" (func)) (import "m" "mem" (memory 1))
    (data (i32.const 3) "\2a") (start 0)))");
  ASSERT_TRUE(instance.ok()) << instance.error().message;
  EXPECT_EQ(seen, 42);
}

TEST_F(InstantiateTest, TrappingStartFunctionFailsInstantiation) {
  linker_.define("m", "f", Extern::of(store_.add_host_function(
      FuncType{}, [](HostContext&, std::span<const Value>, std::span<Value>) -> Status {
        return Error{ErrorKind::Other, 0, "start refused"};
      })));
  auto instance = instantiate_text(R"((module (import "m" "f" (func)) (start 0)))");
  ASSERT_FALSE(instance.ok());
  EXPECT_EQ(instance.error().kind, ErrorKind::Trap);
  EXPECT_EQ(instance.error().trap, TrapCode::Host);
  EXPECT_EQ(instance.error().message, "start refused");
}

TEST_F(InstantiateTest, WasmStartFunctionAndInvoke) {
  auto instance = instantiate_text(R"((module
    (global $g (export "g") (mut i32) (i32.const 1))
    (memory (export "mem") 1)
    (func $start (global.set $g (i32.const 7)) (i32.store8 (i32.const 9) (i32.const 5)))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (start $start)))");
  ASSERT_TRUE(instance.ok()) << instance.error().message;
  Instance& i = **instance;
  EXPECT_EQ(i.find_export("g")->global->value.as_i32(), 7u);
  EXPECT_EQ(i.find_export("mem")->memory->base[9], 5);
  const Value args[] = {Value::i32(40), Value::i32(2)};
  auto results = invoke(store_, *i.find_export("add")->func, args);
  ASSERT_TRUE(results.ok()) << results.error().message;
  ASSERT_EQ(results->size(), 1u);
  EXPECT_EQ((*results)[0].type, ValType::I32);
  EXPECT_EQ((*results)[0].as_i32(), 42u);
}

TEST_F(InstantiateTest, TrappingWasmStartKeepsSegmentWrites) {
  TableInstance* table = store_.add_table(TableType{ValType::FuncRef, Limits{1, std::nullopt}});
  linker_.define("m", "t", Extern::of(table));
  auto instance = instantiate_text(R"((module
    (import "m" "t" (table 1 funcref))
    (func $f unreachable)
    (elem (i32.const 0) $f)
    (start $f)))");
  ASSERT_FALSE(instance.ok());
  EXPECT_EQ(instance.error().kind, ErrorKind::Trap);
  EXPECT_EQ(instance.error().trap, TrapCode::Unreachable);
  ASSERT_NE(table->elements[0], nullptr);
  // The failed instance's function stays callable through the table, and still traps.
  auto again = invoke(store_, *static_cast<FuncInstance*>(table->elements[0]), {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().trap, TrapCode::Unreachable);
}

TEST_F(InstantiateTest, FunctionNamesComeFromTheNameSection) {
  auto module = std::make_shared<Module>();
  module->names.functions[1] = "helper";
  Instance instance;
  instance.module = module;
  EXPECT_EQ(instance.function_name(1), "helper");
  EXPECT_EQ(instance.function_name(0), "");
  Instance empty;
  EXPECT_EQ(empty.function_name(0), "");
}

TEST(ConstExpr, EvaluatesEachForm) {
  Engine engine;
  Store store(engine);
  Instance instance;
  GlobalInstance* global = store.add_global(GlobalType{ValType::I32, false}, Value::i32(40));
  instance.globals.push_back(global);
  FuncInstance* function = store.add_host_function(FuncType{}, nullptr);
  instance.funcs.push_back(function);
  auto one = [](ConstInstr instr) { return ConstExpr{{instr}}; };
  EXPECT_EQ(evaluate_const_expr(instance, one({Opcode::I32Const, 0xffffffff})).as_i32(), 0xffffffffu);
  EXPECT_EQ(evaluate_const_expr(instance, one({Opcode::I64Const, 1ull << 40})).as_i64(), 1ull << 40);
  Value f = evaluate_const_expr(instance, one({Opcode::F32Const, 0x7fc00001}));
  EXPECT_EQ(f.type, ValType::F32);
  EXPECT_EQ(f.bits, 0x7fc00001u);  // NaN payload kept
  Value v = evaluate_const_expr(instance, one({Opcode::V128Const, 1, 2}));
  EXPECT_EQ(v.as_v128(), (V128{1, 2}));
  ConstInstr null;
  null.op = Opcode::RefNull;
  null.ref_type = ValType::ExternRef;
  Value n = evaluate_const_expr(instance, one(null));
  EXPECT_EQ(n.type, ValType::ExternRef);
  EXPECT_EQ(n.ref, nullptr);
  ConstInstr ref;
  ref.op = Opcode::RefFunc;
  EXPECT_EQ(evaluate_const_expr(instance, one(ref)).ref, function);
  ConstInstr get;
  get.op = Opcode::GlobalGet;
  EXPECT_EQ(evaluate_const_expr(instance, one(get)).as_i32(), 40u);
  // Extended constant expressions: global.get 0, i32.const 2, i32.add.
  ConstExpr sum{{get, ConstInstr{Opcode::I32Const, 2}, ConstInstr{Opcode::I32Add}}};
  EXPECT_EQ(evaluate_const_expr(instance, sum).as_i32(), 42u);
}

}  // namespace
}  // namespace kiln
