// WAT to binary: byte-exact encodings of small modules, the spec's abbreviations, name
// resolution and the errors of malformed text.
#include <gtest/gtest.h>

#include <string>

#include "runtime/text/wat.h"

namespace kiln {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes encode(std::string_view text) {
  auto result = wat_to_binary(text);
  EXPECT_TRUE(result.ok()) << text << ": " << (result.ok() ? "" : result.error().message);
  return result.ok() ? *result : Bytes{};
}

std::string error_of(std::string_view text) {
  auto result = wat_to_binary(text);
  if (result.ok()) return "<ok>";
  EXPECT_EQ(result.error().kind, ErrorKind::Malformed);
  return result.error().message;
}

const Bytes kHeader = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

Bytes with_header(Bytes body) {
  Bytes out = kHeader;
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

TEST(TextWat, EmptyModule) {
  EXPECT_EQ(encode("(module)"), kHeader);
  EXPECT_EQ(encode(""), kHeader);
  // A module name goes into the "name" custom section (subsection 0).
  EXPECT_EQ(encode("(module $m)"),
            with_header({0x00, 0x09, 0x04, 'n', 'a', 'm', 'e', 0x00, 0x02, 0x01, 'm'}));
}

TEST(TextWat, FunctionWithNamedParamsAndFoldedAdd) {
  Bytes expected = with_header({
      0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f,        // type (i32 i32)->i32
      0x03, 0x02, 0x01, 0x00,                                      // func 0: type 0
      0x07, 0x07, 0x01, 0x03, 'a', 'd', 'd', 0x00, 0x00,           // export "add"
      0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b});
  // `$add` names function 0 in the "name" custom section (subsection 1).
  Bytes named = expected;
  named.insert(named.end(), {0x00, 0x0d, 0x04, 'n', 'a', 'm', 'e',
                             0x01, 0x06, 0x01, 0x00, 0x03, 'a', 'd', 'd'});
  EXPECT_EQ(encode("(module (func $add (export \"add\") (param $a i32) (param $b i32) "
                   "(result i32) (i32.add (local.get $a) (local.get $b))))"),
            named);
  // The flat form without names encodes the same, less the name section.
  EXPECT_EQ(encode("(func (export \"add\") (param i32 i32) (result i32) "
                   "local.get 0 local.get 1 i32.add)"),
            expected);
}

TEST(TextWat, ImplicitTypesAreAppendedAndShared) {
  Bytes out = encode(
      "(type $v (func)) (func (param i32)) (func (param i32)) (func (type $v))");
  // Types: [] -> [], then the implicit (i32) -> [] once.
  Bytes types = {0x01, 0x08, 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00};
  ASSERT_GE(out.size(), 8 + types.size());
  EXPECT_EQ(Bytes(out.begin() + 8, out.begin() + 8 + static_cast<long>(types.size())), types);
  Bytes funcs = {0x03, 0x04, 0x03, 0x01, 0x01, 0x00};
  EXPECT_NE(std::search(out.begin(), out.end(), funcs.begin(), funcs.end()), out.end());
}

TEST(TextWat, InlineImportExportAndTableElem) {
  Bytes out = encode(
      "(func $f (import \"m\" \"f\")) (func $g) "
      "(table (export \"t\") funcref (elem $g $f))");
  // Table of exactly two elements, active segment at offset 0 with indices 1 0.
  Bytes table = {0x04, 0x05, 0x01, 0x70, 0x01, 0x02, 0x02};
  Bytes elem = {0x09, 0x08, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x01, 0x00};
  EXPECT_NE(std::search(out.begin(), out.end(), table.begin(), table.end()), out.end());
  EXPECT_NE(std::search(out.begin(), out.end(), elem.begin(), elem.end()), out.end());
}

TEST(TextWat, MemoryDataAbbreviation) {
  Bytes out = encode("(memory (data \"ab\" \"c\"))");
  Bytes expected = with_header({0x05, 0x04, 0x01, 0x01, 0x01, 0x01,
                                0x0b, 0x09, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x03, 'a', 'b', 'c'});
  EXPECT_EQ(out, expected);
}

TEST(TextWat, BlocksLabelsAndMemargs) {
  Bytes out = encode(
      "(memory 1) (func (result i32) (block $out (result i32) "
      "(loop $l (br_if $out (i32.const 1) (i32.const 0)) (br $l)) (i32.const 2)) "
      "(i32.load8_u offset=16 align=1 (i32.const 0)) drop)");
  Bytes body = {0x02, 0x7f, 0x03, 0x40, 0x41, 0x01, 0x41, 0x00, 0x0d, 0x01, 0x0c, 0x00, 0x0b,
                0x41, 0x02, 0x0b, 0x41, 0x00, 0x2d, 0x00, 0x10, 0x1a, 0x0b};
  EXPECT_NE(std::search(out.begin(), out.end(), body.begin(), body.end()), out.end());
}

TEST(TextWat, IfThenElseAndTypedSelect) {
  Bytes out = encode(
      "(func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) "
      "(else (i32.const 2))) (select (result i32) (i32.const 3) (i32.const 4) (local.get 0)))");
  Bytes body = {0x20, 0x00, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0b,
                0x41, 0x03, 0x41, 0x04, 0x20, 0x00, 0x1c, 0x01, 0x7f, 0x0b};
  EXPECT_NE(std::search(out.begin(), out.end(), body.begin(), body.end()), out.end());
}

TEST(TextWat, SimdImmediates) {
  Bytes out = encode(
      "(func (result i32) (i8x16.extract_lane_u 15 (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 "
      "12 13 14 31 (v128.const i32x4 1 2 3 -1) (v128.const f32x4 1 -0 inf nan))))");
  Bytes const_i32 = {0xfd, 0x0c, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};
  Bytes const_f32 = {0xfd, 0x0c, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x80,
                     0, 0, 0x80, 0x7f, 0, 0, 0xc0, 0x7f};
  Bytes tail = {0xfd, 0x0d, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31,
                0xfd, 0x16, 15, 0x0b};
  for (const Bytes* b : {&const_i32, &const_f32, &tail})
    EXPECT_NE(std::search(out.begin(), out.end(), b->begin(), b->end()), out.end());
}

TEST(TextWat, ElemForms) {
  encode("(table 1 funcref) (func $f) (elem (i32.const 0) $f) (elem func $f) "
         "(elem declare func $f) (elem (table 0) (offset (i32.const 0)) funcref (item ref.func $f)) "
         "(elem externref (ref.null extern))");
}

TEST(TextWat, NameErrors) {
  EXPECT_EQ(error_of("(func (call $nope))"), "unknown func");
  EXPECT_EQ(error_of("(func (local.get $x))"), "unknown local");
  EXPECT_EQ(error_of("(func (br $l))"), "unknown label");
  EXPECT_EQ(error_of("(func (type $t))"), "unknown type");
  EXPECT_EQ(error_of("(func $f) (func $f)"), "duplicate func");
  EXPECT_EQ(error_of("(func (param $x i32) (local $x i32))"), "duplicate local");
  EXPECT_EQ(error_of("(global $g i32 (i32.const 0)) (global $g i32 (i32.const 0))"),
            "duplicate global");
  EXPECT_EQ(error_of("(func block $a end $b)"), "mismatching label");
  EXPECT_EQ(error_of("(func) (import \"\" \"\" (func))"), "import after function");
  EXPECT_EQ(error_of("(memory 0) (import \"\" \"\" (global i32))"), "import after memory");
}

TEST(TextWat, SyntaxErrors) {
  EXPECT_EQ(error_of("(func (i32.const 0x100000000) drop)"), "constant out of range");
  EXPECT_EQ(error_of("(func (f32.const 0x1p128) drop)"), "constant out of range");
  EXPECT_EQ(error_of("(func (i32.foo))"), "unknown operator i32.foo");
  EXPECT_EQ(error_of("(func br 0drop)"), "unknown operator");
  EXPECT_EQ(error_of("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))"),
            "alignment must be a power of two");
  EXPECT_EQ(error_of("(type $t (func (param i32))) (func (type $t) (param i64))"),
            "inline function type");
  EXPECT_EQ(error_of("(func (export \"\\ff\"))"), "malformed UTF-8 encoding");
  EXPECT_EQ(error_of("(func (v128.const i32x4 1 2 3) drop)"), "wrong number of lane literals");
  EXPECT_EQ(error_of("(func (block (param $x i32)))"), "unexpected token");
  EXPECT_EQ(error_of("(start 0) (start 0) (func)"), "multiple start sections");
  EXPECT_EQ(error_of("(func"), "unexpected end of input");
  EXPECT_EQ(error_of("(func \"unterminated)"), "unclosed string");
}

TEST(TextWat, DeepNestingIsAnErrorNotACrash) {
  std::string deep = "(func ";
  for (int i = 0; i < 100000; ++i) deep += "(block ";
  for (int i = 0; i < 100000; ++i) deep += ")";
  deep += ")";
  EXPECT_EQ(error_of(deep), "nesting too deep");
  // Flat nesting is iterative and has no limit.
  std::string flat = "(func ";
  for (int i = 0; i < 100000; ++i) flat += "block ";
  for (int i = 0; i < 100000; ++i) flat += "end ";
  flat += ")";
  EXPECT_TRUE(wat_to_binary(flat).ok());
}

TEST(TextWat, LineColumn) {
  EXPECT_EQ(line_column("ab\ncd", 4), "2:2");
  EXPECT_EQ(line_column("", 0), "1:1");
}

}  // namespace
}  // namespace kiln
