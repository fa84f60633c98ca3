// Numeric literals of the text format: integer ranges and signs, separators, float rounding
// (hex floats straight to f32), inf/nan and NaN payloads.
#include <gtest/gtest.h>

#include "runtime/text/number_literals.h"

namespace kiln::text {
namespace {

uint64_t int_bits(std::string_view s, unsigned bits) {
  uint64_t out = 0;
  EXPECT_EQ(parse_int(s, bits, out), LiteralStatus::Ok) << s;
  return out;
}
uint32_t f32_bits(std::string_view s) {
  uint32_t out = 0;
  EXPECT_EQ(parse_f32(s, out), LiteralStatus::Ok) << s;
  return out;
}
uint64_t f64_bits(std::string_view s) {
  uint64_t out = 0;
  EXPECT_EQ(parse_f64(s, out), LiteralStatus::Ok) << s;
  return out;
}

TEST(TextLiterals, I32Range) {
  EXPECT_EQ(int_bits("0xffffffff", 32), 0xffffffffu);
  EXPECT_EQ(int_bits("4294967295", 32), 0xffffffffu);
  EXPECT_EQ(int_bits("-2147483648", 32), 0x80000000u);
  EXPECT_EQ(int_bits("-1", 32), 0xffffffffu);
  EXPECT_EQ(int_bits("+2147483647", 32), 0x7fffffffu);
  EXPECT_EQ(int_bits("1_000_000", 32), 1000000u);
  EXPECT_EQ(int_bits("0x0_9acf_fBDF", 32), 0x09acffbdu * 16 + 0xf);
  uint64_t out = 0;
  EXPECT_EQ(parse_int("4294967296", 32, out), LiteralStatus::Range);
  EXPECT_EQ(parse_int("0x100000000", 32, out), LiteralStatus::Range);
  EXPECT_EQ(parse_int("-2147483649", 32, out), LiteralStatus::Range);
  EXPECT_EQ(parse_int("+2147483648", 32, out), LiteralStatus::Range);
  EXPECT_EQ(parse_int("1__0", 32, out), LiteralStatus::Syntax);
  EXPECT_EQ(parse_int("_1", 32, out), LiteralStatus::Syntax);
  EXPECT_EQ(parse_int("1_", 32, out), LiteralStatus::Syntax);
  EXPECT_EQ(parse_int("0x", 32, out), LiteralStatus::Syntax);
  EXPECT_EQ(parse_int("1.0", 32, out), LiteralStatus::Syntax);
}

TEST(TextLiterals, I64AndSmallLanes) {
  EXPECT_EQ(int_bits("-9223372036854775808", 64), 0x8000000000000000ull);
  EXPECT_EQ(int_bits("18446744073709551615", 64), ~0ull);
  uint64_t out = 0;
  EXPECT_EQ(parse_int("18446744073709551616", 64, out), LiteralStatus::Range);
  EXPECT_EQ(int_bits("-128", 8), 0x80u);
  EXPECT_EQ(int_bits("255", 8), 0xffu);
  EXPECT_EQ(parse_int("256", 8, out), LiteralStatus::Range);
  EXPECT_EQ(parse_int("-129", 8, out), LiteralStatus::Range);
  uint32_t u = 0;
  EXPECT_EQ(parse_u32("-1", u), LiteralStatus::Syntax);
  EXPECT_EQ(parse_u32("0x1_0000_0000", u), LiteralStatus::Range);
}

TEST(TextLiterals, F32HexRoundsOnce) {
  EXPECT_EQ(f32_bits("0x1p127"), 0x7f000000u);
  EXPECT_EQ(f32_bits("-0x1.fffffep127"), 0xff7fffffu);
  // Halfway cases round to even, including a tie that a detour through f64 would break:
  // 0x1.000001p0 is exactly halfway between 1 and the next f32 -> 1.0.
  EXPECT_EQ(f32_bits("0x1.000001p0"), 0x3f800000u);
  EXPECT_EQ(f32_bits("0x1.000003p0"), 0x3f800002u);
  // Just above halfway (a bit far beyond f64's precision) must round up.
  EXPECT_EQ(f32_bits("0x1.00000100000000001p0"), 0x3f800001u);
  EXPECT_EQ(f32_bits("0x1.fffffefffffff8000000p127"), 0x7f7fffffu);
  uint32_t out = 0;
  EXPECT_EQ(parse_f32("0x1p128", out), LiteralStatus::Range);
  EXPECT_EQ(parse_f32("0x1.ffffffp127", out), LiteralStatus::Range);
  EXPECT_EQ(f32_bits("0x1p-149"), 1u);
  EXPECT_EQ(f32_bits("0x1p-150"), 0u);  // tie to even (zero)
  EXPECT_EQ(f32_bits("0x1.8p-149"), 2u);
}

TEST(TextLiterals, DecimalFloats) {
  EXPECT_EQ(f32_bits("1.5"), 0x3fc00000u);
  EXPECT_EQ(f32_bits("1e38"), 0x7e967699u);
  EXPECT_EQ(f32_bits("1_000.000_1"), f32_bits("1000.0001"));
  EXPECT_EQ(f32_bits("1."), 0x3f800000u);
  EXPECT_EQ(f64_bits("0.1"), 0x3fb999999999999aull);
  EXPECT_EQ(f64_bits("-0"), 0x8000000000000000ull);
  EXPECT_EQ(f64_bits("1e-400"), 0u);
  uint64_t out = 0;
  EXPECT_EQ(parse_f64("1e309", out), LiteralStatus::Range);
  EXPECT_EQ(parse_f64(".5", out), LiteralStatus::Syntax);
  EXPECT_EQ(parse_f64("1.e5", out), LiteralStatus::Ok);
  EXPECT_EQ(parse_f64("1e", out), LiteralStatus::Syntax);
  EXPECT_EQ(parse_f64("0x1.p", out), LiteralStatus::Syntax);
}

TEST(TextLiterals, InfNanPayloads) {
  EXPECT_EQ(f32_bits("inf"), 0x7f800000u);
  EXPECT_EQ(f32_bits("-inf"), 0xff800000u);
  EXPECT_EQ(f32_bits("nan"), 0x7fc00000u);
  EXPECT_EQ(f32_bits("-nan"), 0xffc00000u);
  EXPECT_EQ(f32_bits("nan:0x200000"), 0x7fa00000u);
  EXPECT_EQ(f32_bits("-nan:0x7f_ffff"), 0xffffffffu);
  EXPECT_EQ(f64_bits("nan:0x1"), 0x7ff0000000000001ull);
  EXPECT_EQ(f64_bits("nan:0xf_ffff_ffff_ffff"), 0x7fffffffffffffffull);
  uint32_t out = 0;
  EXPECT_EQ(parse_f32("nan:0x0", out), LiteralStatus::Range);
  EXPECT_EQ(parse_f32("nan:0x800000", out), LiteralStatus::Range);
  EXPECT_EQ(parse_f32("nan:1", out), LiteralStatus::Syntax);
  uint64_t out64 = 0;
  EXPECT_EQ(parse_f64("nan:0x10000000000000", out64), LiteralStatus::Range);
}

}  // namespace
}  // namespace kiln::text
