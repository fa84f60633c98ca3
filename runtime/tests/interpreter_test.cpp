// The interpreter tier: traps with their messages and wasm backtraces (names and module
// byte offsets), call stack exhaustion on a small host thread (also through host functions
// that call back into wasm), interruption from another thread, and fuel.
#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "runtime/decoder.h"
#include "runtime/linker.h"
#include "runtime/store.h"
#include "runtime/text/wat.h"

namespace kiln {
namespace {

void append_leb(std::vector<uint8_t>& out, uint32_t v) {
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    out.push_back(v ? byte | 0x80 : byte);
  } while (v);
}
void append_name(std::vector<uint8_t>& out, std::string_view name) {
  append_leb(out, static_cast<uint32_t>(name.size()));
  out.insert(out.end(), name.begin(), name.end());
}

/// Compiles `text`, appending a name section with `names` as function 0, 1, ... (the text
/// encoder writes none).
std::shared_ptr<const Module> compile(std::string_view text,
                                      std::vector<std::string_view> names = {}) {
  auto binary = wat_to_binary(text);
  EXPECT_TRUE(binary.ok()) << (binary.ok() ? "" : binary.error().message);
  if (!binary.ok()) return nullptr;
  if (!names.empty()) {
    std::vector<uint8_t> map, sub, section;
    append_leb(map, static_cast<uint32_t>(names.size()));
    for (uint32_t i = 0; i < names.size(); ++i) {
      append_leb(map, i);
      append_name(map, names[i]);
    }
    sub.push_back(1);  // function names
    append_leb(sub, static_cast<uint32_t>(map.size()));
    sub.insert(sub.end(), map.begin(), map.end());
    append_name(section, "name");
    section.insert(section.end(), sub.begin(), sub.end());
    binary->push_back(0);
    append_leb(*binary, static_cast<uint32_t>(section.size()));
    binary->insert(binary->end(), section.begin(), section.end());
  }
  auto module = decode_module(*binary);
  EXPECT_TRUE(module.ok()) << (module.ok() ? "" : module.error().message);
  return module.ok() ? *module : nullptr;
}

/// Runs `body` on a thread with a `stack_size`-byte native stack.
void run_on_small_stack(size_t stack_size, std::function<void()> body) {
  pthread_attr_t attr;
  ASSERT_EQ(pthread_attr_init(&attr), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attr, stack_size), 0);
  pthread_t thread;
  auto entry = [](void* arg) -> void* {
    (*static_cast<std::function<void()>*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, entry, &body), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

class InterpreterTest : public testing::Test {
 protected:
  Engine engine_;
  Store store_{engine_};
  Linker linker_;
  Instance* instance_ = nullptr;

  void load(std::string_view text, std::vector<std::string_view> names = {}) {
    auto module = compile(text, std::move(names));
    ASSERT_TRUE(module);
    auto instance = linker_.instantiate(store_, module);
    ASSERT_TRUE(instance.ok()) << instance.error().message;
    instance_ = *instance;
  }
  FuncInstance& func(std::string_view name) {
    auto e = instance_->find_export(name);
    EXPECT_TRUE(e && e->kind == ExternKind::Func) << name;
    return *e->func;
  }
  Result<std::vector<Value>> call(std::string_view name, std::vector<Value> args = {}) {
    return invoke(store_, func(name), args);
  }
  /// The trap message of calling `name`, or "<ok>".
  std::string trap_of(std::string_view name, std::vector<Value> args = {}) {
    auto r = call(name, std::move(args));
    if (r.ok()) return "<ok>";
    EXPECT_EQ(r.error().kind, ErrorKind::Trap);
    return r.error().message;
  }
};

TEST_F(InterpreterTest, Arithmetic) {
  load(R"((module
    (func (export "fac") (param i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
        (else (i64.mul (local.get 0) (call 0 (i64.sub (local.get 0) (i64.const 1)))))))
    (func (export "sum") (param i32) (result i32) (local i32)
      (block (loop
        (br_if 1 (i32.eqz (local.get 0)))
        (local.set 1 (i32.add (local.get 1) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br 0)))
      (local.get 1))
    (func (export "multi") (result i32 i64) (i32.const 7) (i64.const 8)))
  )");
  auto fac = call("fac", {Value::i64(20)});
  ASSERT_TRUE(fac.ok()) << fac.error().message;
  EXPECT_EQ((*fac)[0].as_i64(), 2432902008176640000ull);
  auto sum = call("sum", {Value::i32(100000)});
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ((*sum)[0].as_i32(), 705082704u);  // 100000 * 100001 / 2 mod 2^32
  auto multi = call("multi");
  ASSERT_TRUE(multi.ok());
  EXPECT_EQ((*multi)[0].as_i32(), 7u);
  EXPECT_EQ((*multi)[1].as_i64(), 8u);
}

TEST_F(InterpreterTest, TrapMessagesAndBacktrace) {
  load(R"((module
    (memory 1)
    (table 2 funcref)
    (type $v (func))
    (func $div (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
    (func $outer (export "outer") (result i32) (i32.const 5) (drop) (call $div (i32.const 0)))
    (func (export "overflow") (result i32) (i32.div_s (i32.const 0x80000000) (i32.const -1)))
    (func (export "oob") (result i32) (i32.load offset=65533 (i32.const 0)))
    (func (export "unreachable") unreachable)
    (func (export "trunc") (result i32) (i32.trunc_f32_s (f32.const nan)))
    (func (export "undefined") (call_indirect (type $v) (i32.const 5)))
    (func (export "uninitialized") (call_indirect (type $v) (i32.const 1)))
    (func $i (result i32) (i32.const 0))
    (elem (i32.const 0) $i)
    (func (export "mismatch") (call_indirect (type $v) (i32.const 0))))
  )", {"div", "outer"});
  EXPECT_EQ(trap_of("div", {Value::i32(0)}), "integer divide by zero");
  EXPECT_EQ(trap_of("overflow"), "integer overflow");
  EXPECT_EQ(trap_of("oob"), "out of bounds memory access");
  EXPECT_EQ(trap_of("unreachable"), "unreachable");
  EXPECT_EQ(trap_of("trunc"), "invalid conversion to integer");
  EXPECT_EQ(trap_of("undefined"), "undefined element");
  EXPECT_EQ(trap_of("uninitialized"), "uninitialized element");
  EXPECT_EQ(trap_of("mismatch"), "indirect call type mismatch");

  auto r = call("outer");
  ASSERT_FALSE(r.ok());
  const Error& e = r.error();
  EXPECT_EQ(e.trap, TrapCode::IntegerDivideByZero);
  ASSERT_EQ(e.backtrace.size(), 2u);
  const std::vector<uint8_t>& bytes = instance_->module->bytes;
  EXPECT_EQ(e.backtrace[0].name, "div");
  EXPECT_EQ(e.backtrace[0].func_index, 0u);
  EXPECT_EQ(bytes.at(e.backtrace[0].code_offset), 0x6d);  // i32.div_s
  EXPECT_EQ(e.backtrace[1].name, "outer");
  EXPECT_EQ(e.backtrace[1].func_index, 1u);
  EXPECT_EQ(bytes.at(e.backtrace[1].code_offset), 0x10);  // call
}

TEST_F(InterpreterTest, HostFunctionsAndTheirTraps) {
  FuncInstance* add = store_.add_host_function(
      FuncType{{ValType::I32, ValType::I32}, {ValType::I32}},
      [](HostContext&, std::span<const Value> args, std::span<Value> results) -> Status {
        results[0] = Value::i32(args[0].as_i32() + args[1].as_i32());
        return Ok{};
      });
  FuncInstance* fail = store_.add_host_function(
      FuncType{}, [](HostContext&, std::span<const Value>, std::span<Value>) -> Status {
        return Error{ErrorKind::Other, 0, "host says no"};
      });
  linker_.define("env", "add", Extern::of(add));
  linker_.define("env", "fail", Extern::of(fail));
  load(R"((module
    (import "env" "add" (func $add (param i32 i32) (result i32)))
    (import "env" "fail" (func $fail))
    (func (export "f") (result i32) (call $add (i32.const 40) (i32.const 2)))
    (func $g (export "g") (call $fail)))
  )", {"add", "fail", "f", "g"});
  auto r = call("f");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)[0].as_i32(), 42u);
  auto g = call("g");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().kind, ErrorKind::Trap);
  EXPECT_EQ(g.error().trap, TrapCode::Host);
  EXPECT_EQ(g.error().message, "host says no");
  ASSERT_EQ(g.error().backtrace.size(), 1u);
  EXPECT_EQ(g.error().backtrace[0].name, "g");
}

constexpr std::string_view kRecursion = R"((module
  (func $runaway (export "runaway") (call $runaway))
  (func $deep (export "deep") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (i32.add (i32.const 1) (call $deep (i32.sub (local.get 0) (i32.const 1))))))))
)";

TEST_F(InterpreterTest, StackExhaustionOnA256KiBThread) {
  load(kRecursion);
  run_on_small_stack(256 * 1024, [&] {
    EXPECT_EQ(trap_of("runaway"), "call stack exhausted");
    auto deep = call("deep", {Value::i32(9000)});
    ASSERT_TRUE(deep.ok()) << deep.error().message;
    EXPECT_EQ((*deep)[0].as_i32(), 9000u);
    EXPECT_EQ(trap_of("deep", {Value::i32(20000)}), "call stack exhausted");
  });
}

TEST_F(InterpreterTest, HostReentryIsBoundedOnA256KiBThread) {
  // wasm -> host -> wasm -> host ... without end: native recursion through the host.
  FuncInstance* reenter = nullptr;
  FuncInstance* host = store_.add_host_function(
      FuncType{}, [&reenter](HostContext& context, std::span<const Value>, std::span<Value>) -> Status {
        auto r = invoke(context.store, *reenter, {});
        if (!r.ok()) return std::move(r).error();
        return Ok{};
      });
  linker_.define("env", "host", Extern::of(host));
  load(R"((module (import "env" "host" (func $host)) (func (export "f") (call $host))))");
  reenter = &func("f");
  run_on_small_stack(256 * 1024, [&] {
    auto r = call("f");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().trap, TrapCode::StackExhausted);
    EXPECT_EQ(r.error().message, "call stack exhausted");
    EXPECT_GE(r.error().backtrace.size(), 2u);  // one frame per nested activation
  });
  // The thread's stacks are usable again afterwards.
  load(kRecursion);
  auto deep = call("deep", {Value::i32(100)});
  ASSERT_TRUE(deep.ok());
  EXPECT_EQ((*deep)[0].as_i32(), 100u);
}

TEST_F(InterpreterTest, InterruptEndsAnInfiniteLoop) {
  load(R"((module (func (export "spin") (loop (br 0)))))");
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    engine_.interrupt();
  });
  EXPECT_EQ(trap_of("spin"), "interrupted");
  stopper.join();
  engine_.clear_interrupt();
}

TEST_F(InterpreterTest, Fuel) {
  load(kRecursion);
  store_.fuel = 1000;
  auto deep = call("deep", {Value::i32(10)});
  ASSERT_TRUE(deep.ok());
  EXPECT_EQ(*store_.fuel, 1000u - 11u);  // one unit per function entry
  load(R"((module (func (export "spin") (loop (br 0)))))");
  EXPECT_EQ(trap_of("spin"), "fuel exhausted");
  EXPECT_EQ(*store_.fuel, 0u);
  store_.fuel.reset();
}

}  // namespace
}  // namespace kiln
