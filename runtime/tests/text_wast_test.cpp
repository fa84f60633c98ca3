// WAST scripts: commands, values and expectations, and the whole wasm-2.0 suite parsed
// with every text module checked against its command's intent.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runtime/text/wast.h"
#include "runtime/text/wat.h"

namespace kiln::wast {
namespace {

TEST(TextWast, CommandsAndValues) {
  auto script = parse_script(R"wast(
(module $m (func (export "f") (param i32) (result i32) (local.get 0)))
(register "mm" $m)
(assert_return (invoke $m "f" (i32.const -1)) (i32.const 0xffffffff))
(assert_return (invoke "g" (f32.const nan:0x200000)) (f32.const nan:canonical))
(assert_return (invoke "h") (v128.const f32x4 1 nan:arithmetic 2 nan:canonical))
(assert_return (invoke "r" (ref.extern 7)) (ref.null func) (ref.func) (ref.extern 7))
(assert_trap (invoke "t") "unreachable")
(assert_malformed (module quote "(func" " nop)") "unexpected token")
(assert_invalid (module binary "\00asm" "\01\00\00\00") "x")
(get "glob")
(assert_exhaustion (invoke "loop") "call stack exhausted")
)wast");
  ASSERT_TRUE(script.ok()) << script.error().message;
  const auto& c = script->commands;
  ASSERT_EQ(c.size(), 11u);
  EXPECT_EQ(c[0].kind, Command::Kind::Module);
  EXPECT_EQ(c[0].line, 2u);
  EXPECT_EQ(c[0].module->name, "$m");
  EXPECT_EQ(c[0].module->text.substr(0, 10), "(module $m");
  EXPECT_EQ(c[1].register_as, "mm");
  EXPECT_EQ(c[1].register_module, "$m");
  EXPECT_EQ(c[2].action->module, "$m");
  EXPECT_EQ(c[2].action->args[0].bits, 0xffffffffu);
  EXPECT_EQ(c[2].expected[0].value.bits, 0xffffffffu);
  EXPECT_EQ(c[3].action->args[0].bits, 0x7fa00000u);
  EXPECT_EQ(c[3].expected[0].kind, Expected::Kind::NanCanonical);
  EXPECT_EQ(c[4].expected[0].kind, Expected::Kind::V128Lanes);
  ASSERT_EQ(c[4].expected[0].lane_kinds.size(), 4u);
  EXPECT_EQ(c[4].expected[0].lane_kinds[1], Expected::Kind::NanArithmetic);
  EXPECT_EQ(c[4].expected[0].lane_bits[2], 0x40000000u);
  EXPECT_EQ(c[5].action->args[0].extern_id, 7u);
  EXPECT_TRUE(c[5].expected[0].value.is_null);
  EXPECT_EQ(c[5].expected[1].kind, Expected::Kind::RefFunc);
  EXPECT_EQ(c[5].expected[2].value.extern_id, 7u);
  EXPECT_EQ(c[6].message, "unreachable");
  EXPECT_EQ(c[7].module->form, ScriptModule::Form::Quote);
  EXPECT_EQ(c[7].module->text, "(func  nop)");
  EXPECT_EQ(c[8].module->binary.size(), 8u);
  EXPECT_EQ(c[9].kind, Command::Kind::Action);
  EXPECT_EQ(c[9].action->kind, Action::Kind::Get);
}

TEST(TextWast, ScriptErrorsAreErrors) {
  EXPECT_FALSE(parse_script("(assert_return (invoke \"f\")").ok());
  EXPECT_FALSE(parse_script("(bogus)").ok());
  EXPECT_FALSE(parse_script("(module").ok());
}

#ifdef KILN_TESTSUITE_DIR
TEST(TextWast, SpecSuiteTextModules) {
  std::filesystem::path dir = std::filesystem::path(KILN_TESTSUITE_DIR) / "wasm-2.0";
  if (!std::filesystem::exists(dir)) GTEST_SKIP() << "no test suite at " << dir;
  size_t files = 0;
  size_t encoded = 0;
  size_t rejected = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".wast") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string source = ss.str();
    auto script = parse_script(source);
    ASSERT_TRUE(script.ok()) << entry.path() << ": " << script.error().message;
    ++files;
    for (const Command& c : script->commands) {
      if (!c.module || c.module->form == ScriptModule::Form::Binary) continue;
      auto binary = wat_to_binary(c.module->text);
      if (c.kind == Command::Kind::AssertMalformed) {
        ASSERT_FALSE(binary.ok()) << entry.path() << ":" << c.line;
        EXPECT_EQ(binary.error().message.rfind(c.message, 0), 0u)
            << entry.path() << ":" << c.line << " got " << binary.error().message;
        ++rejected;
      } else {
        EXPECT_TRUE(binary.ok()) << entry.path() << ":" << c.line << ": "
                                 << (binary.ok() ? "" : binary.error().message);
        ++encoded;
      }
    }
  }
  EXPECT_EQ(files, 148u);
  EXPECT_GT(encoded, 3700u);
  EXPECT_GT(rejected, 1000u);
}
#endif

}  // namespace
}  // namespace kiln::wast
