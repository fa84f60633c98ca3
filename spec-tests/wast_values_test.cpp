// The WAST runner's value matching: exact bits, the two NaN patterns with either sign,
// v128 lane by lane, and references (null by type, ref.extern N, any ref.func).
#include "spec-tests/wast_values.h"

#include <gtest/gtest.h>

namespace kiln::spec {
namespace {

using wast::Expected;

Expected exact(ValType type, uint64_t bits) {
  Expected e;
  e.value.type = type;
  e.value.bits = bits;
  return e;
}

Expected nan(ValType type, Expected::Kind kind) {
  Expected e;
  e.kind = kind;
  e.value.type = type;
  return e;
}

TEST(WastValues, IntegersAndFloatsMatchBitForBit) {
  EXPECT_TRUE(matches(Value::i32(0xffffffff), exact(ValType::I32, 0xffffffff)));
  EXPECT_FALSE(matches(Value::i32(1), exact(ValType::I32, 2)));
  EXPECT_FALSE(matches(Value::i64(1), exact(ValType::I32, 1)));  // type matters
  EXPECT_TRUE(matches(Value::f32_bits(0x80000000), exact(ValType::F32, 0x80000000)));
  EXPECT_FALSE(matches(Value::f32_bits(0x80000000), exact(ValType::F32, 0)));  // -0 != +0
  EXPECT_TRUE(
      matches(Value::f64_bits(0x7ff0000000000001), exact(ValType::F64, 0x7ff0000000000001)));
}

TEST(WastValues, CanonicalNanEitherSignOnly) {
  const Expected f32 = nan(ValType::F32, Expected::Kind::NanCanonical);
  EXPECT_TRUE(matches(Value::f32_bits(0x7fc00000), f32));
  EXPECT_TRUE(matches(Value::f32_bits(0xffc00000), f32));
  EXPECT_FALSE(matches(Value::f32_bits(0x7fc00001), f32));
  EXPECT_FALSE(matches(Value::f32_bits(0x7f800000), f32));  // infinity
  const Expected f64 = nan(ValType::F64, Expected::Kind::NanCanonical);
  EXPECT_TRUE(matches(Value::f64_bits(0xfff8000000000000), f64));
  EXPECT_FALSE(matches(Value::f64_bits(0x7ff8000000000001), f64));
}

TEST(WastValues, ArithmeticNanNeedsTheQuietBit) {
  const Expected f32 = nan(ValType::F32, Expected::Kind::NanArithmetic);
  EXPECT_TRUE(matches(Value::f32_bits(0x7fc00001), f32));
  EXPECT_TRUE(matches(Value::f32_bits(0xffe00000), f32));
  EXPECT_FALSE(matches(Value::f32_bits(0x7f800001), f32));  // signalling
  const Expected f64 = nan(ValType::F64, Expected::Kind::NanArithmetic);
  EXPECT_TRUE(matches(Value::f64_bits(0x7ffc000000000000), f64));
  EXPECT_FALSE(matches(Value::f64_bits(0x7ff4000000000000), f64));
}

TEST(WastValues, V128LanesWithNanPatterns) {
  Expected e;
  e.kind = Expected::Kind::V128Lanes;
  e.value.type = ValType::V128;
  e.lane_type = ValType::F32;
  e.lane_kinds = {Expected::Kind::NanCanonical, Expected::Kind::Exact,
                  Expected::Kind::NanArithmetic, Expected::Kind::Exact};
  e.lane_bits = {0, 0x3f800000, 0, 0};
  // Lanes: 0xffc00000, 1.0f, 0x7fc12345, 0.
  EXPECT_TRUE(matches(Value::v128({0x3f800000ffc00000, 0x000000007fc12345}), e));
  EXPECT_FALSE(matches(Value::v128({0x3f800000ffc00000, 0x0000000100000000 | 0x7fc12345}), e));
  EXPECT_FALSE(matches(Value::v128({0x3f800000ffc00001, 0x000000007fc12345}), e));
  EXPECT_EQ(describe(e), "v128:f32x4 nan:canonical 0x3f800000 nan:arithmetic 0x00000000");
}

TEST(WastValues, References) {
  Expected null_func = exact(ValType::FuncRef, 0);
  null_func.value.is_null = true;
  EXPECT_TRUE(matches(Value::funcref(nullptr), null_func));
  EXPECT_FALSE(matches(Value::externref(nullptr), null_func));

  wast::Value extern0;
  extern0.type = ValType::ExternRef;
  extern0.extern_id = 0;
  const auto arg = to_runtime_value(extern0);
  ASSERT_TRUE(arg);
  EXPECT_NE(arg->ref, nullptr);
  Expected same = exact(ValType::ExternRef, 0);
  same.value.extern_id = 0;
  EXPECT_TRUE(matches(*arg, same));
  same.value.extern_id = 1;
  EXPECT_FALSE(matches(*arg, same));
  EXPECT_EQ(describe(*arg), "ref.extern 0");

  const Expected any_func = nan(ValType::FuncRef, Expected::Kind::RefFunc);
  EXPECT_FALSE(matches(Value::funcref(nullptr), any_func));
  EXPECT_TRUE(matches(Value::funcref(reinterpret_cast<FuncInstance*>(&same)), any_func));
}

TEST(WastValues, Descriptions) {
  EXPECT_EQ(describe(Value::i32(0xffffffff)), "i32:-1 (0xffffffff)");
  EXPECT_EQ(describe(Value::f32_bits(0x3f800000)), "f32:0x3f800000 (1)");
  EXPECT_EQ(describe(nan(ValType::F64, Expected::Kind::NanCanonical)), "f64:nan:canonical");
  const std::vector<Value> none;
  EXPECT_EQ(describe(std::span<const Value>(none)), "nothing");
}

}  // namespace
}  // namespace kiln::spec
