// Tests of decode_module and BinaryReader: LEB128 edge cases, every class of malformed
// and invalid module, hostile inputs (huge counts, deep nesting, garbage), the name
// section, and the Module IR the decoder fills in.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <vector>

#include "runtime/binary_reader.h"
#include "runtime/decoder.h"
#include "runtime/tests/binary_builder.h"

namespace kiln {
namespace {

using test::append_u32;
using test::Bytes;
using test::section;

Bytes module(std::initializer_list<Bytes> sections) {
  Bytes out{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  for (const Bytes& s : sections) out.insert(out.end(), s.begin(), s.end());
  return out;
}

Bytes name(const std::string& s) {
  Bytes out;
  append_u32(out, static_cast<uint32_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
  return out;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// One type () -> (), one function of it with `body` (locals + code).
Bytes one_function(const Bytes& body) {
  Bytes code{0x01};
  append_u32(code, static_cast<uint32_t>(body.size()));
  code.insert(code.end(), body.begin(), body.end());
  return module({section(1, {0x01, 0x60, 0x00, 0x00}), section(3, {0x01, 0x00}),
                 section(10, code)});
}

void expect_error(const Bytes& bytes, ErrorKind kind, const std::string& message) {
  auto result = decode_module(bytes);
  ASSERT_FALSE(result.ok()) << "expected: " << message;
  EXPECT_EQ(result.error().kind, kind) << result.error().message;
  EXPECT_EQ(result.error().message.rfind(message, 0), 0u)
      << "got '" << result.error().message << "', expected '" << message << "'";
}

// ---- BinaryReader ----

template <typename T, typename Read>
bool read_one(const Bytes& bytes, T& out, Read read, std::string* error = nullptr) {
  BinaryReader reader(bytes, 0, bytes.size());
  bool ok = (reader.*read)(out);
  if (!ok && error) *error = reader.error().message;
  return ok;
}

TEST(BinaryReaderTest, U32Boundaries) {
  uint32_t v = 0;
  std::string error;
  EXPECT_TRUE(read_one(Bytes{0x00}, v, &BinaryReader::read_u32));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(read_one(Bytes{0x80, 0x00}, v, &BinaryReader::read_u32));  // redundant byte is fine
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(read_one(Bytes{0xff, 0xff, 0xff, 0xff, 0x0f}, v, &BinaryReader::read_u32));
  EXPECT_EQ(v, 0xffffffffu);
  EXPECT_FALSE(read_one(Bytes{0xff, 0xff, 0xff, 0xff, 0x1f}, v, &BinaryReader::read_u32, &error));
  EXPECT_EQ(error, "integer too large");
  EXPECT_FALSE(
      read_one(Bytes{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, v, &BinaryReader::read_u32, &error));
  EXPECT_EQ(error, "integer representation too long");
  EXPECT_FALSE(read_one(Bytes{0x80, 0x80}, v, &BinaryReader::read_u32, &error));
  EXPECT_EQ(error, "unexpected end");
}

TEST(BinaryReaderTest, S32AndS64SignRules) {
  int32_t v = 0;
  std::string error;
  EXPECT_TRUE(read_one(Bytes{0x7f}, v, &BinaryReader::read_s32));
  EXPECT_EQ(v, -1);
  EXPECT_TRUE(read_one(Bytes{0x80, 0x80, 0x80, 0x80, 0x78}, v, &BinaryReader::read_s32));
  EXPECT_EQ(v, INT32_MIN);
  EXPECT_TRUE(read_one(Bytes{0xff, 0xff, 0xff, 0xff, 0x07}, v, &BinaryReader::read_s32));
  EXPECT_EQ(v, INT32_MAX);
  // Unused bits of the last byte must be copies of the sign bit.
  EXPECT_FALSE(read_one(Bytes{0xff, 0xff, 0xff, 0xff, 0x4f}, v, &BinaryReader::read_s32, &error));
  EXPECT_EQ(error, "integer too large");
  EXPECT_FALSE(read_one(Bytes{0x80, 0x80, 0x80, 0x80, 0x70}, v, &BinaryReader::read_s32, &error));
  EXPECT_EQ(error, "integer too large");

  int64_t w = 0;
  Bytes min64(9, 0x80);
  min64.push_back(0x7f);
  EXPECT_TRUE(read_one(min64, w, &BinaryReader::read_s64));
  EXPECT_EQ(w, INT64_MIN);
  Bytes bad64(9, 0x80);
  bad64.push_back(0x01);
  EXPECT_FALSE(read_one(bad64, w, &BinaryReader::read_s64, &error));
  EXPECT_EQ(error, "integer too large");
  Bytes long64(10, 0x80);
  long64.push_back(0x00);
  EXPECT_FALSE(read_one(long64, w, &BinaryReader::read_s64, &error));
  EXPECT_EQ(error, "integer representation too long");

  int64_t s33 = 0;
  EXPECT_TRUE(read_one(Bytes{0xff, 0xff, 0xff, 0xff, 0x0f}, s33, &BinaryReader::read_s33));
  EXPECT_EQ(s33, 0xffffffffLL);
}

TEST(BinaryReaderTest, Utf8) {
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xc0\x80"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xe2\x82"));          // truncated
}

// ---- module structure ----

TEST(DecoderTest, EmptyModule) {
  auto result = decode_module(module({}));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ((*result)->func_count(), 0u);
}

TEST(DecoderTest, HeaderErrors) {
  expect_error({}, ErrorKind::Malformed, "unexpected end");
  expect_error({0x00, 0x61, 0x73}, ErrorKind::Malformed, "unexpected end");
  expect_error({0x61, 0x73, 0x6d, 0x00}, ErrorKind::Malformed, "magic header not detected");
  expect_error({0x00, 0x61, 0x73, 0x6d, 0x01}, ErrorKind::Malformed, "unexpected end");
  expect_error({0x00, 0x61, 0x73, 0x6d, 0x02, 0x00, 0x00, 0x00}, ErrorKind::Malformed,
               "unknown binary version");
}

TEST(DecoderTest, SectionErrors) {
  expect_error(module({section(13, {})}), ErrorKind::Malformed, "malformed section id");
  expect_error(module({section(3, {0x00}), section(1, {0x00})}), ErrorKind::Malformed,
               "unexpected content after last section");
  expect_error(module({section(1, {0x00}), section(1, {0x00})}), ErrorKind::Malformed,
               "unexpected content after last section");
  expect_error(module({section(1, {0x00, 0x00})}), ErrorKind::Malformed, "section size mismatch");
  expect_error(module({Bytes{0x01, 0x05, 0x00}}), ErrorKind::Malformed, "length out of bounds");
  // Custom sections may appear anywhere and are kept.
  auto ok = decode_module(
      module({section(0, cat({name("a"), Bytes{1, 2}})), section(1, {0x00}), section(0, name("b"))}));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  ASSERT_EQ((*ok)->customs.size(), 2u);
  EXPECT_EQ((*ok)->customs[0].name, "a");
  EXPECT_EQ((*ok)->customs[0].contents.size, 2u);
  expect_error(module({section(0, {0x02, 0xc0, 0x80})}), ErrorKind::Malformed,
               "malformed UTF-8 encoding");
}

TEST(DecoderTest, TypesAndImports) {
  expect_error(module({section(1, {0x01, 0x61, 0x00, 0x00})}), ErrorKind::Malformed,
               "malformed function type");
  expect_error(module({section(1, {0x01, 0x60, 0x01, 0x7a, 0x00})}), ErrorKind::Malformed,
               "malformed value type");
  expect_error(module({section(2, cat({Bytes{0x01}, name("m"), name("f"), Bytes{0x04, 0x00}}))}),
               ErrorKind::Malformed, "malformed import kind");
  expect_error(module({section(2, cat({Bytes{0x01}, name("m"), name("g"), Bytes{0x03, 0x7f, 0x02}}))}),
               ErrorKind::Malformed, "malformed mutability");
  expect_error(module({section(2, cat({Bytes{0x01}, name("m"), name("f"), Bytes{0x00, 0x00}}))}),
               ErrorKind::Invalid, "unknown type");
  expect_error(module({section(4, {0x01, 0x71, 0x00, 0x00})}), ErrorKind::Malformed,
               "malformed reference type");
}

TEST(DecoderTest, LimitsAndMemories) {
  expect_error(module({section(5, {0x01, 0x00, 0x81, 0x80, 0x04})}), ErrorKind::Invalid,
               "memory size must be at most 65536 pages (4GiB)");
  expect_error(module({section(5, {0x01, 0x01, 0x02, 0x01})}), ErrorKind::Invalid,
               "size minimum must not be greater than maximum");
  expect_error(module({section(4, {0x01, 0x70, 0x01, 0x02, 0x01})}), ErrorKind::Invalid,
               "size minimum must not be greater than maximum");
  expect_error(module({section(5, {0x02, 0x00, 0x00, 0x00, 0x00})}), ErrorKind::Invalid,
               "multiple memories");
  expect_error(module({section(5, {0x01, 0x02, 0x00})}), ErrorKind::Malformed, "integer too large");
  auto ok = decode_module(module({section(5, {0x01, 0x01, 0x00, 0x80, 0x80, 0x04})}));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)->memories[0].limits.max, 65536u);
}

TEST(DecoderTest, ExportsAndStart) {
  Bytes types = section(1, {0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00});
  Bytes funcs = section(3, {0x02, 0x00, 0x01});
  Bytes code = section(10, {0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b});
  expect_error(module({types, funcs,
                       section(7, cat({Bytes{0x02}, name("x"), Bytes{0x00, 0x00}, name("x"),
                                       Bytes{0x00, 0x01}})),
                       code}),
               ErrorKind::Invalid, "duplicate export name");
  expect_error(module({types, funcs, section(7, cat({Bytes{0x01}, name("x"), Bytes{0x00, 0x05}})), code}),
               ErrorKind::Invalid, "unknown function 5");
  expect_error(module({types, funcs, section(8, {0x01}), code}), ErrorKind::Invalid,
               "start function");
  expect_error(module({types, funcs, section(8, {0x07}), code}), ErrorKind::Invalid,
               "unknown function");
  auto ok = decode_module(module({types, funcs, section(8, {0x00}), code}));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)->start, 0u);
}

TEST(DecoderTest, CountConsistency) {
  Bytes types = section(1, {0x01, 0x60, 0x00, 0x00});
  expect_error(module({types, section(3, {0x01, 0x00})}), ErrorKind::Malformed,
               "function and code section have inconsistent lengths");
  expect_error(module({types, section(10, {0x01, 0x02, 0x00, 0x0b})}), ErrorKind::Malformed,
               "function and code section have inconsistent lengths");
  Bytes memory = section(5, {0x01, 0x00, 0x01});
  expect_error(module({memory, section(12, {0x02}), section(11, {0x01, 0x01, 0x00})}),
               ErrorKind::Malformed, "data count and data section have inconsistent lengths");
  expect_error(module({memory, section(12, {0x01})}), ErrorKind::Malformed,
               "data count and data section have inconsistent lengths");
  // memory.init without a data count section, with a data segment present.
  Bytes body{0x00, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xfc, 0x08, 0x00, 0x00, 0x0b};
  Bytes code{0x01};
  append_u32(code, static_cast<uint32_t>(body.size()));
  code.insert(code.end(), body.begin(), body.end());
  expect_error(module({types, section(3, {0x01, 0x00}), memory, section(10, code),
                       section(11, {0x01, 0x01, 0x00})}),
               ErrorKind::Malformed, "data count section required");
}

TEST(DecoderTest, ConstantExpressions) {
  Bytes imported_global =
      section(2, cat({Bytes{0x01}, name("m"), name("g"), Bytes{0x03, 0x7f, 0x00}}));
  // A global initializer may read an imported immutable global only.
  ASSERT_TRUE(decode_module(module({imported_global, section(6, {0x01, 0x7f, 0x00, 0x23, 0x00, 0x0b})})).ok());
  expect_error(module({section(6, {0x02, 0x7f, 0x00, 0x41, 0x00, 0x0b, 0x7f, 0x00, 0x23, 0x00, 0x0b})}),
               ErrorKind::Invalid, "unknown global 0");
  expect_error(module({section(6, {0x01, 0x7f, 0x00, 0x41, 0x00, 0x41, 0x00, 0x6a, 0x0b})}),
               ErrorKind::Invalid, "constant expression required");
  expect_error(module({section(6, {0x01, 0x7e, 0x00, 0x41, 0x00, 0x0b})}), ErrorKind::Invalid,
               "type mismatch");
  expect_error(module({section(6, {0x01, 0x7f, 0x00, 0x0b})}), ErrorKind::Invalid, "type mismatch");
  Bytes mutable_import =
      section(2, cat({Bytes{0x01}, name("m"), name("g"), Bytes{0x03, 0x7f, 0x01}}));
  expect_error(module({mutable_import, section(6, {0x01, 0x7f, 0x00, 0x23, 0x00, 0x0b})}),
               ErrorKind::Invalid, "constant expression required");
}

// ---- hostile input ----

TEST(DecoderTest, HugeLocalCountFailsFast) {
  auto start = std::chrono::steady_clock::now();
  // Two groups of 0xffffffff i32 locals: the sum passes 2^32.
  expect_error(one_function({0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0xff, 0xff, 0xff, 0xff,
                             0x0f, 0x7f, 0x0b}),
               ErrorKind::Malformed, "too many locals");
  expect_error(one_function({0x01, 0xd1, 0x86, 0x03, 0x7f, 0x0b}),  // 50001 locals
               ErrorKind::Malformed, "too many locals");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  auto ok = decode_module(one_function({0x01, 0xd0, 0x86, 0x03, 0x7f, 0x0b}));  // 50000
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)->functions[0].locals.size(), 50000u);
}

TEST(DecoderTest, HugeCountsWithoutBytes) {
  // Every vector claims 0xffffffff entries in a 10-byte section.
  for (uint8_t id : {1, 2, 3, 4, 5, 6, 7, 9, 11}) {
    Bytes contents{0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x00};
    auto result = decode_module(module({section(id, contents)}));
    ASSERT_FALSE(result.ok()) << int(id);
    EXPECT_EQ(result.error().kind == ErrorKind::Malformed || result.error().kind == ErrorKind::Invalid, true);
  }
  // br_table with 0xffffffff labels in a 10-byte body.
  auto result = decode_module(one_function({0x00, 0x41, 0x00, 0x0e, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00}));
  ASSERT_FALSE(result.ok());
}

TEST(DecoderTest, DeepNestingDoesNotRecurse) {
  constexpr int kDepth = 100000;
  Bytes body{0x00};
  for (int i = 0; i < kDepth; ++i) body.insert(body.end(), {0x02, 0x40});
  for (int i = 0; i < kDepth; ++i) body.push_back(0x0b);
  body.push_back(0x0b);
  auto result = decode_module(one_function(body));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ((*result)->functions[0].max_control_depth, kDepth + 1u);
  // The same without the ends: a clean error, not a crash.
  body.resize(1 + 2 * kDepth);
  EXPECT_FALSE(decode_module(one_function(body)).ok());
}

TEST(DecoderTest, GarbageIsRejectedQuickly) {
  std::mt19937 rng(7);
  Bytes garbage(1 << 20);
  for (auto& b : garbage) b = static_cast<uint8_t>(rng());
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(decode_module(garbage).ok());
  Bytes headed = module({});
  headed.insert(headed.end(), garbage.begin(), garbage.end());
  EXPECT_FALSE(decode_module(headed).ok());
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
}

// ---- name section and the Module IR ----

TEST(DecoderTest, NameSection) {
  Bytes types = section(1, {0x01, 0x60, 0x01, 0x7f, 0x00});
  Bytes funcs = section(3, {0x01, 0x00});
  Bytes code = section(10, {0x01, 0x04, 0x01, 0x01, 0x7e, 0x0b});
  Bytes module_name = cat({Bytes{0x00}, Bytes{0x04}, name("mod")});
  Bytes func_names = cat({Bytes{0x01, 0x07, 0x01, 0x00}, name("main")});
  Bytes local_names = cat({Bytes{0x02, 0x09, 0x01, 0x00, 0x02, 0x00}, name("a"), Bytes{0x01}, name("b")});
  Bytes names = section(0, cat({name("name"), module_name, func_names, local_names}));
  auto result = decode_module(module({types, funcs, code, names}));
  ASSERT_TRUE(result.ok()) << result.error().message;
  const NameSection& n = (*result)->names;
  EXPECT_EQ(n.module, "mod");
  EXPECT_EQ(n.functions.at(0), "main");
  EXPECT_EQ(n.locals.at(0).at(0), "a");
  EXPECT_EQ(n.locals.at(0).at(1), "b");

  // A malformed name section is ignored, not an error.
  Bytes broken = section(0, cat({name("name"), Bytes{0x01, 0x09, 0x05}}));
  auto still_ok = decode_module(module({types, funcs, code, broken}));
  ASSERT_TRUE(still_ok.ok()) << still_ok.error().message;
  EXPECT_TRUE((*still_ok)->names.functions.empty());
}

TEST(DecoderTest, ModuleIr) {
  Bytes types = section(1, {0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f});
  Bytes imports = section(2, cat({Bytes{0x02}, name("env"), name("f"), Bytes{0x00, 0x00},
                                  name("env"), name("mem"), Bytes{0x02, 0x00, 0x01}}));
  Bytes funcs = section(3, {0x01, 0x00});
  Bytes tables = section(4, {0x01, 0x70, 0x00, 0x02});
  Bytes globals = section(6, {0x01, 0x7e, 0x01, 0x42, 0x2a, 0x0b});
  Bytes exports = section(7, cat({Bytes{0x02}, name("add"), Bytes{0x00, 0x01}, name("t"), Bytes{0x01, 0x00}}));
  // elem 0: active, table 0 at 0, functions [1, 0]; elem 1: declarative funcref exprs.
  Bytes elems = section(9, {0x02, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x01, 0x00,
                            0x07, 0x70, 0x01, 0xd0, 0x70, 0x0b});
  Bytes datacount = section(12, {0x02});
  // (local.get 0) (local.get 1) (i32.add) (local.get 0) (drop)
  Bytes code = section(10, {0x01, 0x0a, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x20, 0x00, 0x1a, 0x0b});
  Bytes datas = section(11, {0x02, 0x00, 0x41, 0x08, 0x0b, 0x02, 'h', 'i', 0x01, 0x01, 'x'});
  auto result = decode_module(
      module({types, imports, funcs, tables, globals, exports, elems, datacount, code, datas}));
  ASSERT_TRUE(result.ok()) << result.error().message;
  const Module& m = **result;
  ASSERT_EQ(m.imports.size(), 2u);
  EXPECT_EQ(m.imports[0].kind, ExternKind::Func);
  EXPECT_EQ(m.imports[1].module, "env");
  EXPECT_EQ(m.imports[1].name, "mem");
  EXPECT_EQ(m.imports[1].memory.limits.min, 1u);
  EXPECT_EQ(m.imported_funcs, 1u);
  EXPECT_EQ(m.imported_memories, 1u);
  EXPECT_EQ(m.func_count(), 2u);
  ASSERT_EQ(m.exports.size(), 2u);
  EXPECT_EQ(m.exports[0].name, "add");
  EXPECT_EQ(m.exports[0].index, 1u);
  EXPECT_EQ(m.exports[1].kind, ExternKind::Table);
  ASSERT_EQ(m.globals.size(), 1u);
  EXPECT_TRUE(m.globals[0].type.mutable_);
  EXPECT_EQ(m.globals[0].init.instrs[0].op, Opcode::I64Const);
  EXPECT_EQ(m.globals[0].init.instrs[0].bits, 42u);
  ASSERT_EQ(m.elems.size(), 2u);
  EXPECT_EQ(m.elems[0].mode, SegmentMode::Active);
  ASSERT_EQ(m.elems[0].elements.size(), 2u);
  EXPECT_EQ(m.elems[0].elements[0].instrs[0].op, Opcode::RefFunc);
  EXPECT_EQ(m.elems[0].elements[0].instrs[0].index, 1u);
  EXPECT_EQ(m.elems[1].mode, SegmentMode::Declarative);
  EXPECT_EQ(m.elems[1].elements[0].instrs[0].op, Opcode::RefNull);
  ASSERT_EQ(m.datas.size(), 2u);
  EXPECT_EQ(m.datas[0].mode, SegmentMode::Active);
  EXPECT_EQ(m.datas[0].offset.instrs[0].bits, 8u);
  EXPECT_EQ(m.datas[0].bytes.size, 2u);
  EXPECT_EQ(m.bytes[m.datas[0].bytes.offset], 'h');
  EXPECT_EQ(m.datas[1].mode, SegmentMode::Passive);
  EXPECT_EQ(m.data_count, 2u);
  ASSERT_EQ(m.functions.size(), 1u);
  const Function& f = m.functions[0];
  EXPECT_EQ(f.max_stack_height, 2u);
  EXPECT_EQ(f.max_control_depth, 1u);
  EXPECT_TRUE(f.locals.empty());
  EXPECT_EQ(m.bytes[f.code_offset], 0x20);
  EXPECT_EQ(f.body.offset + f.body.size, f.code_offset + 9u);
}

}  // namespace
}  // namespace kiln
