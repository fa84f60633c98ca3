// Tests of the fused body decoder/validator: typing by the opcode table's signatures, the
// hand-typed instructions (control, select, locals, globals, tables, references), the
// unreachable-code rules, immediate checks, and the consumer hook.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "runtime/decoder.h"
#include "runtime/tests/binary_builder.h"
#include "runtime/function_validator.h"

namespace kiln {
namespace {

using test::append_u32;
using test::Bytes;
using test::section;

// A module with one memory, one funcref table, a mutable i32 global and an immutable i64
// global, type 0 = (i32) -> (i32), type 1 = () -> (), and one function of type `type`
// whose body is `code` (no declared locals; `end` appended).
Bytes with_body(const Bytes& code, uint8_t type = 0, const Bytes& locals = {0x00}) {
  Bytes out{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  auto add = [&](const Bytes& s) { out.insert(out.end(), s.begin(), s.end()); };
  add(section(1, {0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00}));
  add(section(3, {0x01, type}));
  add(section(4, {0x01, 0x70, 0x00, 0x01}));
  add(section(5, {0x01, 0x00, 0x01}));
  add(section(6, {0x02, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x7e, 0x00, 0x42, 0x00, 0x0b}));
  Bytes body = locals;
  body.insert(body.end(), code.begin(), code.end());
  body.push_back(0x0b);
  Bytes contents{0x01};
  append_u32(contents, static_cast<uint32_t>(body.size()));
  contents.insert(contents.end(), body.begin(), body.end());
  add(section(10, contents));
  return out;
}

std::string error_of(const Bytes& bytes) {
  auto result = decode_module(bytes);
  if (result.ok()) return "ok";
  return std::string(result.error().kind == ErrorKind::Invalid ? "invalid: " : "malformed: ") +
         result.error().message;
}

TEST(FunctionValidatorTest, ImmediatesResetRestoresDefaults) {
  static const uint32_t labels[] = {1, 2};
  static const uint8_t lanes[16] = {};
  Immediates imm;
  imm.index = 1;
  imm.index2 = 2;
  imm.align = 3;
  imm.offset = 4;
  imm.lane = 5;
  imm.bits = 6;
  imm.bits_high = 7;
  imm.shuffle = lanes;
  imm.type = ValType::FuncRef;
  imm.block = BlockType{BlockType::Kind::Index, ValType::F64, 8};
  imm.targets = labels;
  imm.reset();
  const Immediates fresh{};
  EXPECT_EQ(imm.index, fresh.index);
  EXPECT_EQ(imm.index2, fresh.index2);
  EXPECT_EQ(imm.align, fresh.align);
  EXPECT_EQ(imm.offset, fresh.offset);
  EXPECT_EQ(imm.lane, fresh.lane);
  EXPECT_EQ(imm.bits, fresh.bits);
  EXPECT_EQ(imm.bits_high, fresh.bits_high);
  EXPECT_EQ(imm.shuffle, fresh.shuffle);
  EXPECT_EQ(imm.type, fresh.type);
  EXPECT_EQ(imm.block.kind, fresh.block.kind);
  EXPECT_EQ(imm.block.value, fresh.block.value);
  EXPECT_EQ(imm.block.index, fresh.block.index);
  EXPECT_EQ(imm.targets.data(), fresh.targets.data());
  EXPECT_EQ(imm.targets.size(), fresh.targets.size());
}

TEST(FunctionValidatorTest, TableSignatures) {
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x41, 0x01, 0x6a})), "ok");  // i32.add
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x42, 0x01, 0x6a})), "invalid: type mismatch");
  EXPECT_EQ(error_of(with_body({0x6a})), "invalid: type mismatch");  // empty stack
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x41, 0x01})), "invalid: type mismatch");  // 2 left
  EXPECT_EQ(error_of(with_body({}, 0)), "invalid: type mismatch");                      // 0 left
  // i64.extend_i32_s (sign-extension and conversions come from the table too)
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0xac, 0xa7})), "ok");
  // i32.trunc_sat_f32_s: 0xfc 0x00
  EXPECT_EQ(error_of(with_body({0x43, 0, 0, 0, 0, 0xfc, 0x00})), "ok");
  // f32x4.splat on an i32 is a type mismatch: 0xfd 0x13
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0xfd, 0x13, 0x1a, 0x20, 0x00})), "invalid: type mismatch");
}

TEST(FunctionValidatorTest, UnreachableIsPolymorphic) {
  EXPECT_EQ(error_of(with_body({0x00})), "ok");
  EXPECT_EQ(error_of(with_body({0x00, 0x6a})), "ok");
  EXPECT_EQ(error_of(with_body({0x00, 0x42, 0x00, 0x6a})), "invalid: type mismatch");
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x0f, 0x1b})), "ok");  // select after return
  EXPECT_EQ(error_of(with_body({0x00, 0x42, 0x00, 0x41, 0x00, 0x1b, 0x1a, 0x20, 0x00})), "ok");
}

TEST(FunctionValidatorTest, Blocks) {
  // block (result i32) i32.const 1 end
  EXPECT_EQ(error_of(with_body({0x02, 0x7f, 0x41, 0x01, 0x0b})), "ok");
  EXPECT_EQ(error_of(with_body({0x02, 0x7f, 0x0b, 0x41, 0x00})), "invalid: type mismatch");
  // block with a type index: (i32) -> (i32)
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x02, 0x00, 0x0b})), "ok");
  EXPECT_EQ(error_of(with_body({0x02, 0x05, 0x0b, 0x20, 0x00})), "invalid: unknown type 5");
  // if without else must have matching params and results
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x04, 0x7f, 0x41, 0x01, 0x0b})), "invalid: type mismatch");
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0b})), "ok");
  EXPECT_EQ(error_of(with_body({0x05})), "malformed: END opcode expected");
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x0b, 0x20, 0x00})), "malformed: section size mismatch");
}

TEST(FunctionValidatorTest, Branches) {
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x0c, 0x00})), "ok");
  EXPECT_EQ(error_of(with_body({0x0c, 0x01})), "invalid: unknown label 1");
  EXPECT_EQ(error_of(with_body({0x02, 0x40, 0x41, 0x00, 0x0d, 0x00, 0x0b, 0x20, 0x00})), "ok");
  // br_table with labels of different arity
  EXPECT_EQ(error_of(with_body({0x02, 0x40, 0x20, 0x00, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x01, 0x0b,
                                0x20, 0x00})),
            "invalid: type mismatch");
  EXPECT_EQ(error_of(with_body({0x02, 0x40, 0x41, 0x00, 0x0e, 0x01, 0x00, 0x00, 0x0b, 0x20, 0x00})),
            "ok");
  // loop labels take the loop's parameters: loop (type 0) br 0 needs an i32
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x03, 0x00, 0x0c, 0x00, 0x0b})), "ok");
}

TEST(FunctionValidatorTest, LocalsGlobalsSelect) {
  EXPECT_EQ(error_of(with_body({0x20, 0x01})), "invalid: unknown local 1");
  EXPECT_EQ(error_of(with_body({0x20, 0x01, 0xa7}, 0, {0x01, 0x01, 0x7e})), "ok");
  EXPECT_EQ(error_of(with_body({0x23, 0x05, 0x1a, 0x20, 0x00})), "invalid: unknown global 5");
  EXPECT_EQ(error_of(with_body({0x42, 0x00, 0x24, 0x01, 0x20, 0x00})), "invalid: global is immutable");
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x24, 0x00, 0x20, 0x00})), "ok");
  // select of an i32 and an i64
  EXPECT_EQ(error_of(with_body({0x41, 0x00, 0x42, 0x00, 0x41, 0x00, 0x1b, 0x1a, 0x20, 0x00})),
            "invalid: type mismatch");
  // untyped select of references is not allowed; typed select is
  EXPECT_EQ(error_of(with_body({0xd0, 0x70, 0xd0, 0x70, 0x41, 0x00, 0x1b, 0x1a, 0x20, 0x00})),
            "invalid: type mismatch");
  EXPECT_EQ(error_of(with_body({0xd0, 0x70, 0xd0, 0x70, 0x41, 0x00, 0x1c, 0x01, 0x70, 0x1a, 0x20, 0x00})),
            "ok");
  EXPECT_EQ(error_of(with_body({0x41, 0x00, 0x1c, 0x00, 0x20, 0x00})), "invalid: invalid result arity");
}

TEST(FunctionValidatorTest, MemoryAndLanes) {
  EXPECT_EQ(error_of(with_body({0x41, 0x00, 0x28, 0x02, 0x00})), "ok");  // i32.load align=4
  EXPECT_EQ(error_of(with_body({0x41, 0x00, 0x28, 0x03, 0x00})),
            "invalid: alignment must not be larger than natural");
  EXPECT_EQ(error_of(with_body({0x28, 0x20, 0x00})), "malformed: malformed memop flags");
  EXPECT_EQ(error_of(with_body({0x3f, 0x01, 0x1a, 0x20, 0x00})), "malformed: zero byte expected");
  // i8x16.extract_lane_s lane 16 (16 lanes)
  Bytes v128_const{0xfd, 0x0c};
  v128_const.insert(v128_const.end(), 16, 0);
  Bytes code = v128_const;
  code.insert(code.end(), {0xfd, 0x15, 0x0f});
  EXPECT_EQ(error_of(with_body(code)), "ok");
  code.back() = 0x10;
  EXPECT_EQ(error_of(with_body(code)), "invalid: invalid lane index");
  // data.drop with no data count section and no data segments
  EXPECT_EQ(error_of(with_body({0xfc, 0x09, 0x00, 0x20, 0x00})), "invalid: unknown data segment 0");
}

TEST(FunctionValidatorTest, References) {
  // ref.func 0 is undeclared (no elem segment, export or global mentions it)
  EXPECT_EQ(error_of(with_body({0xd2, 0x00, 0x1a, 0x20, 0x00})),
            "invalid: undeclared function reference");
  EXPECT_EQ(error_of(with_body({0xd0, 0x6f, 0xd1})), "ok");
  EXPECT_EQ(error_of(with_body({0x41, 0x00, 0xd1})), "invalid: type mismatch");
  EXPECT_EQ(error_of(with_body({0xd0, 0x71, 0xd1})), "malformed: malformed reference type");
  // table.get 0 gives funcref; table.size 1 is unknown
  EXPECT_EQ(error_of(with_body({0x41, 0x00, 0x25, 0x00, 0xd1})), "ok");
  EXPECT_EQ(error_of(with_body({0xfc, 0x10, 0x01})), "invalid: unknown table 1");
  // call_indirect type 0 through table 0
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00})), "ok");
  EXPECT_EQ(error_of(with_body({0x20, 0x00, 0x10, 0x03})), "invalid: unknown function 3");
}

TEST(FunctionValidatorTest, IllegalOpcodes) {
  EXPECT_EQ(error_of(with_body({0x06})), "malformed: illegal opcode");
  EXPECT_EQ(error_of(with_body({0xfc, 0x7f})), "malformed: illegal opcode");
  EXPECT_EQ(error_of(with_body({0xfd, 0x80, 0x02})), "malformed: illegal opcode");
}

// A consumer that records what the validator forwards.
struct RecordingConsumer {
  std::vector<Opcode> ops;
  std::vector<size_t> offsets;
  size_t locals = 0;
  bool ended = false;
  void on_locals(std::span<const ValType> l) { locals = l.size(); }
  void on_instruction(Opcode op, const Immediates& imm, size_t offset) {
    ops.push_back(op);
    offsets.push_back(offset);
    if (op == Opcode::I32Const) {
      EXPECT_EQ(imm.bits, 7u);
    }
  }
  void on_end_function() { ended = true; }
};

TEST(FunctionValidatorTest, ConsumerSeesEveryInstruction) {
  std::vector<FuncType> types{FuncType{{}, {ValType::I32}}};
  ValidationContext context;
  context.types = &types;
  context.func_types = {0};
  RecordingConsumer consumer;
  FunctionValidator<RecordingConsumer> validator(context, consumer);
  // one i64 local; block (result i32) i32.const 7 end end
  Bytes body{0x01, 0x01, 0x7e, 0x02, 0x7f, 0x41, 0x07, 0x0b, 0x0b};
  BinaryReader reader(body, 0, body.size());
  Function function;
  ASSERT_TRUE(validator.validate(reader, types[0], function)) << reader.error().message;
  EXPECT_EQ(consumer.locals, 1u);
  EXPECT_EQ(consumer.ops, (std::vector<Opcode>{Opcode::Block, Opcode::I32Const, Opcode::End,
                                               Opcode::End}));
  EXPECT_EQ(consumer.offsets, (std::vector<size_t>{3, 5, 7, 8}));
  EXPECT_TRUE(consumer.ended);
  EXPECT_EQ(function.code_offset, 3u);
  EXPECT_EQ(function.max_stack_height, 1u);
  EXPECT_EQ(function.max_control_depth, 2u);
}

}  // namespace
}  // namespace kiln
