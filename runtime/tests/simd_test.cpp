// The SIMD128 semantics (runtime/interp/simd.h) on the cases where implementations go wrong:
// lane order, NaN and signed zeros in min/max/pmin/pmax, saturation, narrowing, q15mulr,
// rounding ties, trunc_sat of NaN and infinities, swizzle and shift counts, bitmasks.
#include "runtime/interp/simd.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <vector>

namespace kiln::simd {
namespace {

/// A V128 from lanes given lane 0 first (missing lanes are zero).
template <typename T>
V128 make(std::initializer_list<T> values) {
  using Bits = std::conditional_t<
      sizeof(T) == 1, uint8_t,
      std::conditional_t<sizeof(T) == 2, uint16_t,
                         std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;
  V128 v;
  size_t i = 0;
  for (T value : values) {
    const uint64_t bits = std::bit_cast<Bits>(value);
    const size_t bit = i * sizeof(T) * 8;
    (bit < 64 ? v.lo : v.hi) |= bits << (bit % 64);
    ++i;
  }
  return v;
}

/// The lanes of `v` as T, lane 0 first.
template <typename T>
std::vector<T> lanes_of(V128 v) {
  using Bits = std::conditional_t<
      sizeof(T) == 1, uint8_t,
      std::conditional_t<sizeof(T) == 2, uint16_t,
                         std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;
  std::vector<T> out;
  for (size_t bit = 0; bit < 128; bit += sizeof(T) * 8) {
    const uint64_t half = bit < 64 ? v.lo : v.hi;
    out.push_back(std::bit_cast<T>(static_cast<Bits>(half >> (bit % 64))));
  }
  return out;
}

template <typename T>
std::vector<T> vec(std::initializer_list<T> values) {
  return std::vector<T>(values);
}

constexpr float kNanF = std::numeric_limits<float>::quiet_NaN();
constexpr float kInfF = std::numeric_limits<float>::infinity();
constexpr double kNanD = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfD = std::numeric_limits<double>::infinity();

uint32_t bits_of(float f) { return std::bit_cast<uint32_t>(f); }
uint64_t bits_of(double d) { return std::bit_cast<uint64_t>(d); }

TEST(Simd, LaneZeroIsTheLowestBytes) {
  const V128 v = splat(Opcode::I32x4Splat, 0);
  EXPECT_EQ(v, V128{});
  const V128 w = replace_lane(Opcode::I8x16ReplaceLane, v, 0, 0x1ab);
  EXPECT_EQ(w, (V128{0xab, 0}));
  EXPECT_EQ(replace_lane(Opcode::I16x8ReplaceLane, v, 4, 0xbeef), (V128{0, 0xbeef}));
  EXPECT_EQ(replace_lane(Opcode::I32x4ReplaceLane, v, 1, 0x12345678), (V128{0x12345678ull << 32, 0}));
  EXPECT_EQ(replace_lane(Opcode::I64x2ReplaceLane, v, 1, 7), (V128{0, 7}));
  EXPECT_EQ(make<uint32_t>({1, 2, 3, 4}), (V128{0x0000000200000001, 0x0000000400000003}));
  EXPECT_EQ(extract_lane(Opcode::I32x4ExtractLane, make<uint32_t>({1, 2, 3, 4}), 2), 3u);
  EXPECT_EQ(extract_lane(Opcode::I64x2ExtractLane, V128{5, 6}, 1), 6u);
}

TEST(Simd, ExtractLaneExtendsToThirtyTwoBits) {
  const V128 v = make<int8_t>({-128, 127, -1});
  EXPECT_EQ(extract_lane(Opcode::I8x16ExtractLaneS, v, 0), 0xffffff80u);
  EXPECT_EQ(extract_lane(Opcode::I8x16ExtractLaneU, v, 0), 0x80u);
  EXPECT_EQ(extract_lane(Opcode::I8x16ExtractLaneS, v, 1), 127u);
  const V128 w = make<int16_t>({0, -2});
  EXPECT_EQ(extract_lane(Opcode::I16x8ExtractLaneS, w, 1), 0xfffffffeu);
  EXPECT_EQ(extract_lane(Opcode::I16x8ExtractLaneU, w, 1), 0xfffeu);
  const V128 f = make<float>({0, -0.0f});
  EXPECT_EQ(extract_lane(Opcode::F32x4ExtractLane, f, 1), 0x80000000u);
}

TEST(Simd, SplatsTakeTheLowBits) {
  EXPECT_EQ(splat(Opcode::I8x16Splat, 0x1ff), (V128{~0ull, ~0ull}));
  EXPECT_EQ(splat(Opcode::I8x16Splat, 0x102), (V128{0x0202020202020202, 0x0202020202020202}));
  EXPECT_EQ(splat(Opcode::I16x8Splat, 0xabcd1234), (V128{0x1234123412341234, 0x1234123412341234}));
  EXPECT_EQ(splat(Opcode::F32x4Splat, bits_of(-0.0f)), (V128{0x8000000080000000, 0x8000000080000000}));
  EXPECT_EQ(splat(Opcode::F64x2Splat, bits_of(1.0)), (V128{bits_of(1.0), bits_of(1.0)}));
}

TEST(Simd, FloatMinMaxPropagateNaNAndOrderSignedZeros) {
  const V128 a = make<float>({kNanF, 1.0f, -0.0f, 0.0f});
  const V128 b = make<float>({1.0f, kNanF, 0.0f, -0.0f});
  const auto mins = lanes_of<float>(binary(Opcode::F32x4Min, a, b));
  EXPECT_TRUE(std::isnan(mins[0]));
  EXPECT_TRUE(std::isnan(mins[1]));
  EXPECT_EQ(bits_of(mins[2]), bits_of(-0.0f));
  EXPECT_EQ(bits_of(mins[3]), bits_of(-0.0f));
  const auto maxs = lanes_of<float>(binary(Opcode::F32x4Max, a, b));
  EXPECT_TRUE(std::isnan(maxs[0]));
  EXPECT_TRUE(std::isnan(maxs[1]));
  EXPECT_EQ(bits_of(maxs[2]), bits_of(0.0f));
  EXPECT_EQ(bits_of(maxs[3]), bits_of(0.0f));

  const V128 c = make<double>({-0.0, kNanD});
  const V128 d = make<double>({0.0, -kInfD});
  const auto dmin = lanes_of<double>(binary(Opcode::F64x2Min, c, d));
  EXPECT_EQ(bits_of(dmin[0]), bits_of(-0.0));
  EXPECT_TRUE(std::isnan(dmin[1]));
  const auto dmax = lanes_of<double>(binary(Opcode::F64x2Max, d, c));
  EXPECT_EQ(bits_of(dmax[0]), bits_of(0.0));
  EXPECT_TRUE(std::isnan(dmax[1]));
  // Ordinary values.
  EXPECT_EQ(lanes_of<double>(binary(Opcode::F64x2Min, make<double>({1, -kInfD}),
                                    make<double>({2, 3}))),
            vec<double>({1, -kInfD}));
}

TEST(Simd, PminPmaxAreExactSelections) {
  // pmin = b < a ? b : a; pmax = a < b ? b : a: NaN in b never wins, NaN in a always does,
  // and equal zeros give a.
  const V128 a = make<float>({kNanF, 1.0f, -0.0f, 0.0f});
  const V128 b = make<float>({1.0f, kNanF, 0.0f, -0.0f});
  const auto pmin = lanes_of<float>(binary(Opcode::F32x4Pmin, a, b));
  EXPECT_TRUE(std::isnan(pmin[0]));
  EXPECT_EQ(pmin[1], 1.0f);
  EXPECT_EQ(bits_of(pmin[2]), bits_of(-0.0f));
  EXPECT_EQ(bits_of(pmin[3]), bits_of(0.0f));
  const auto pmax = lanes_of<float>(binary(Opcode::F32x4Pmax, a, b));
  EXPECT_TRUE(std::isnan(pmax[0]));
  EXPECT_EQ(pmax[1], 1.0f);
  EXPECT_EQ(bits_of(pmax[2]), bits_of(-0.0f));
  EXPECT_EQ(bits_of(pmax[3]), bits_of(0.0f));
  const auto dpmin = lanes_of<double>(binary(Opcode::F64x2Pmin, make<double>({3, 0.0}),
                                             make<double>({2, -0.0})));
  EXPECT_EQ(dpmin[0], 2.0);
  EXPECT_EQ(bits_of(dpmin[1]), bits_of(0.0));
}

TEST(Simd, FloatAbsNegTouchOnlyTheSignBit) {
  const uint32_t nan_payload = 0x7fa00001;  // a signalling NaN: must come back bit for bit
  const V128 v = make<uint32_t>({nan_payload, bits_of(-1.5f), bits_of(0.0f), 0xffc00000});
  EXPECT_EQ(lanes_of<uint32_t>(unary(Opcode::F32x4Abs, v)),
            vec<uint32_t>({nan_payload, bits_of(1.5f), 0, 0x7fc00000}));
  EXPECT_EQ(lanes_of<uint32_t>(unary(Opcode::F32x4Neg, v)),
            vec<uint32_t>({nan_payload | 0x80000000, bits_of(1.5f), 0x80000000, 0x7fc00000}));
  const V128 d = make<uint64_t>({0xfff0000000000001, bits_of(2.0)});
  EXPECT_EQ(lanes_of<uint64_t>(unary(Opcode::F64x2Abs, d)),
            vec<uint64_t>({0x7ff0000000000001, bits_of(2.0)}));
  EXPECT_EQ(lanes_of<uint64_t>(unary(Opcode::F64x2Neg, d)),
            vec<uint64_t>({0x7ff0000000000001, bits_of(-2.0)}));
}

TEST(Simd, SaturatingArithmetic) {
  EXPECT_EQ(lanes_of<int8_t>(binary(Opcode::I8x16AddSatS, make<int8_t>({127, -128, 100, -1}),
                                    make<int8_t>({1, -1, -50, -1})))[0],
            127);
  EXPECT_EQ(lanes_of<int8_t>(binary(Opcode::I8x16AddSatS, make<int8_t>({127, -128, 100, -1}),
                                    make<int8_t>({1, -1, -50, -1}))),
            vec<int8_t>({127, -128, 50, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(lanes_of<uint8_t>(binary(Opcode::I8x16AddSatU, make<uint8_t>({255, 200, 1}),
                                     make<uint8_t>({1, 100, 2})))[0],
            255);
  EXPECT_EQ(lanes_of<uint8_t>(binary(Opcode::I8x16AddSatU, make<uint8_t>({255, 200, 1}),
                                     make<uint8_t>({1, 100, 2})))[1],
            255);
  EXPECT_EQ(lanes_of<uint8_t>(binary(Opcode::I8x16SubSatU, make<uint8_t>({0, 5}),
                                     make<uint8_t>({1, 3})))[0],
            0);
  EXPECT_EQ(lanes_of<int8_t>(binary(Opcode::I8x16SubSatS, make<int8_t>({-128, 127}),
                                    make<int8_t>({1, -1})))[0],
            -128);
  EXPECT_EQ(lanes_of<int8_t>(binary(Opcode::I8x16SubSatS, make<int8_t>({-128, 127}),
                                    make<int8_t>({1, -1})))[1],
            127);
  const auto s16 = lanes_of<int16_t>(binary(Opcode::I16x8AddSatS, make<int16_t>({32767, -32768, 5}),
                                            make<int16_t>({1, -1, 6})));
  EXPECT_EQ(s16[0], 32767);
  EXPECT_EQ(s16[1], -32768);
  EXPECT_EQ(s16[2], 11);
  const auto u16 = lanes_of<uint16_t>(binary(Opcode::I16x8SubSatU, make<uint16_t>({0, 65535}),
                                             make<uint16_t>({1, 65535})));
  EXPECT_EQ(u16[0], 0);
  EXPECT_EQ(u16[1], 0);
  EXPECT_EQ(lanes_of<uint16_t>(binary(Opcode::I16x8AddSatU, make<uint16_t>({65535}),
                                      make<uint16_t>({65535})))[0],
            65535);
  EXPECT_EQ(lanes_of<int16_t>(binary(Opcode::I16x8SubSatS, make<int16_t>({-32768}),
                                     make<int16_t>({32767})))[0],
            -32768);
}

TEST(Simd, NarrowSaturatesSignedInput) {
  const V128 a = make<int16_t>({300, -300, 127, -128, 255, 256, -1, 0});
  const V128 b = make<int16_t>({1, 2, 3, 4, 5, 6, 7, -32768});
  EXPECT_EQ(lanes_of<int8_t>(binary(Opcode::I8x16NarrowI16x8S, a, b)),
            vec<int8_t>({127, -128, 127, -128, 127, 127, -1, 0, 1, 2, 3, 4, 5, 6, 7, -128}));
  EXPECT_EQ(lanes_of<uint8_t>(binary(Opcode::I8x16NarrowI16x8U, a, b)),
            vec<uint8_t>({255, 0, 127, 0, 255, 255, 0, 0, 1, 2, 3, 4, 5, 6, 7, 0}));
  const V128 c = make<int32_t>({70000, -70000, 65535, -1});
  const V128 d = make<int32_t>({32768, -32769, 1, 0});
  EXPECT_EQ(lanes_of<int16_t>(binary(Opcode::I16x8NarrowI32x4S, c, d)),
            vec<int16_t>({32767, -32768, 32767, -1, 32767, -32768, 1, 0}));
  EXPECT_EQ(lanes_of<uint16_t>(binary(Opcode::I16x8NarrowI32x4U, c, d)),
            vec<uint16_t>({65535, 0, 65535, 0, 32768, 0, 1, 0}));
}

TEST(Simd, Q15MulrSaturatesOnlyMinTimesMin) {
  const V128 a = make<int16_t>({-32768, 16384, 1, -1, 32767, -32768, 3, -3});
  const V128 b = make<int16_t>({-32768, 16384, 16384, 16384, 32767, 32767, 16384, 16384});
  EXPECT_EQ(lanes_of<int16_t>(binary(Opcode::I16x8Q15mulrSatS, a, b)),
            vec<int16_t>({32767, 8192, 1, 0, 32766, -32767, 2, -1}));
}

TEST(Simd, RoundingNearestTiesToEven) {
  const V128 f = make<float>({0.5f, 1.5f, 2.5f, -0.5f});
  const auto n = lanes_of<float>(unary(Opcode::F32x4Nearest, f));
  EXPECT_EQ(bits_of(n[0]), bits_of(0.0f));
  EXPECT_EQ(n[1], 2.0f);
  EXPECT_EQ(n[2], 2.0f);
  EXPECT_EQ(bits_of(n[3]), bits_of(-0.0f));
  const auto d = lanes_of<double>(unary(Opcode::F64x2Nearest, make<double>({-2.5, 3.5})));
  EXPECT_EQ(d, vec<double>({-2.0, 4.0}));
  // Large values are already integers; 2^23 + 0.5 does not exist in f32.
  EXPECT_EQ(lanes_of<float>(unary(Opcode::F32x4Nearest, make<float>({8388609.0f})))[0],
            8388609.0f);

  const V128 g = make<float>({-1.5f, 1.5f, -0.25f, 0.25f});
  EXPECT_EQ(lanes_of<float>(unary(Opcode::F32x4Ceil, g)), vec<float>({-1, 2, -0.0f, 1}));
  EXPECT_TRUE(std::signbit(lanes_of<float>(unary(Opcode::F32x4Ceil, g))[2]));
  EXPECT_EQ(lanes_of<float>(unary(Opcode::F32x4Floor, g)), vec<float>({-2, 1, -1, 0}));
  EXPECT_EQ(lanes_of<float>(unary(Opcode::F32x4Trunc, g)), vec<float>({-1, 1, -0.0f, 0}));
  EXPECT_EQ(lanes_of<double>(unary(Opcode::F64x2Floor, make<double>({-0.5, 7.9}))),
            vec<double>({-1, 7}));
  EXPECT_EQ(lanes_of<double>(unary(Opcode::F64x2Ceil, make<double>({-0.5, 7.1}))),
            vec<double>({-0.0, 8}));
  EXPECT_EQ(lanes_of<double>(unary(Opcode::F64x2Trunc, make<double>({-7.9, 7.9}))),
            vec<double>({-7, 7}));
  EXPECT_TRUE(std::isnan(lanes_of<float>(unary(Opcode::F32x4Nearest, make<float>({kNanF})))[0]));
}

TEST(Simd, RoundingQuietsSignallingNaN) {
  // The result of a NaN operand must be an arithmetic NaN: quiet bit set, sign any.
  const V128 f = splat(Opcode::F32x4Splat, 0xffa00000);
  for (Opcode op : {Opcode::F32x4Ceil, Opcode::F32x4Floor, Opcode::F32x4Trunc,
                    Opcode::F32x4Nearest, Opcode::F32x4Sqrt}) {
    for (uint32_t lane : lanes_of<uint32_t>(unary(op, f))) {
      EXPECT_EQ(lane & 0x7fc00000, 0x7fc00000u) << opcode_info(op).text;
    }
  }
  const V128 d = splat(Opcode::F64x2Splat, 0x7ff4000000000000);
  for (Opcode op : {Opcode::F64x2Ceil, Opcode::F64x2Floor, Opcode::F64x2Trunc,
                    Opcode::F64x2Nearest, Opcode::F64x2Sqrt}) {
    for (uint64_t lane : lanes_of<uint64_t>(unary(op, d))) {
      EXPECT_EQ(lane & 0x7ff8000000000000, 0x7ff8000000000000u) << opcode_info(op).text;
    }
  }
}

TEST(Simd, TruncSatHandlesNaNAndInfinities) {
  const V128 f = make<float>({kNanF, kInfF, -kInfF, -2.9f});
  EXPECT_EQ(lanes_of<int32_t>(unary(Opcode::I32x4TruncSatF32x4S, f)),
            vec<int32_t>({0, INT32_MAX, INT32_MIN, -2}));
  EXPECT_EQ(lanes_of<uint32_t>(unary(Opcode::I32x4TruncSatF32x4U, f)),
            vec<uint32_t>({0, UINT32_MAX, 0, 0}));
  const V128 g = make<float>({2147483648.0f, -2147483648.0f, 4294967296.0f, 0.99f});
  EXPECT_EQ(lanes_of<int32_t>(unary(Opcode::I32x4TruncSatF32x4S, g)),
            vec<int32_t>({INT32_MAX, INT32_MIN, INT32_MAX, 0}));
  EXPECT_EQ(lanes_of<uint32_t>(unary(Opcode::I32x4TruncSatF32x4U, g)),
            vec<uint32_t>({2147483648u, 0, UINT32_MAX, 0}));
  // The f64 forms zero lanes 2 and 3.
  EXPECT_EQ(lanes_of<int32_t>(unary(Opcode::I32x4TruncSatF64x2SZero,
                                    make<double>({2147483647.9, -2147483648.9}))),
            vec<int32_t>({INT32_MAX, INT32_MIN, 0, 0}));
  EXPECT_EQ(lanes_of<int32_t>(unary(Opcode::I32x4TruncSatF64x2SZero, make<double>({kNanD, -kInfD}))),
            vec<int32_t>({0, INT32_MIN, 0, 0}));
  EXPECT_EQ(lanes_of<uint32_t>(unary(Opcode::I32x4TruncSatF64x2UZero,
                                     make<double>({4294967295.9, -0.9}))),
            vec<uint32_t>({UINT32_MAX, 0, 0, 0}));
  EXPECT_EQ(lanes_of<uint32_t>(unary(Opcode::I32x4TruncSatF64x2UZero, make<double>({kInfD, kNanD}))),
            vec<uint32_t>({UINT32_MAX, 0, 0, 0}));
}

TEST(Simd, Conversions) {
  EXPECT_EQ(lanes_of<float>(unary(Opcode::F32x4ConvertI32x4U,
                                  make<uint32_t>({UINT32_MAX, 16777217, 1, 0}))),
            vec<float>({4294967296.0f, 16777216.0f, 1, 0}));
  EXPECT_EQ(lanes_of<float>(unary(Opcode::F32x4ConvertI32x4S, make<int32_t>({-1, INT32_MIN, 16777219}))),
            vec<float>({-1, -2147483648.0f, 16777220.0f, 0}));
  EXPECT_EQ(lanes_of<double>(unary(Opcode::F64x2ConvertLowI32x4S, make<int32_t>({-5, INT32_MIN, 9, 9}))),
            vec<double>({-5, -2147483648.0}));
  EXPECT_EQ(lanes_of<double>(unary(Opcode::F64x2ConvertLowI32x4U, make<uint32_t>({UINT32_MAX, 1, 9, 9}))),
            vec<double>({4294967295.0, 1}));
  const auto demoted = lanes_of<float>(unary(Opcode::F32x4DemoteF64x2Zero, make<double>({1e300, 0.1})));
  EXPECT_EQ(demoted, vec<float>({kInfF, 0.1f, 0, 0}));
  EXPECT_EQ(lanes_of<double>(unary(Opcode::F64x2PromoteLowF32x4, make<float>({0.1f, -kInfF, 7, 7}))),
            vec<double>({double{0.1f}, -kInfD}));
}

TEST(Simd, SwizzleZeroesOutOfRangeIndices) {
  const V128 a = make<uint8_t>({10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25});
  const V128 idx = make<uint8_t>({15, 0, 16, 255, 128, 1, 17, 31, 32, 2, 3, 4, 5, 6, 7, 8});
  EXPECT_EQ(lanes_of<uint8_t>(binary(Opcode::I8x16Swizzle, a, idx)),
            vec<uint8_t>({25, 10, 0, 0, 0, 11, 0, 0, 0, 12, 13, 14, 15, 16, 17, 18}));
}

TEST(Simd, ShuffleIndexesBothOperands) {
  const V128 a = make<uint8_t>({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
  const V128 b = make<uint8_t>({16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31});
  const uint8_t lanes[16] = {31, 0, 16, 15, 1, 1, 30, 2, 3, 4, 5, 6, 7, 8, 9, 17};
  EXPECT_EQ(lanes_of<uint8_t>(shuffle(a, b, lanes)),
            vec<uint8_t>({31, 0, 16, 15, 1, 1, 30, 2, 3, 4, 5, 6, 7, 8, 9, 17}));
}

TEST(Simd, ShiftCountsAreModuloLaneWidth) {
  const V128 i8 = make<int8_t>({-128, 64, 1, -1});
  EXPECT_EQ(lanes_of<int8_t>(shift(Opcode::I8x16Shl, i8, 9))[1], -128);
  EXPECT_EQ(lanes_of<int8_t>(shift(Opcode::I8x16ShrS, i8, 9))[0], -64);
  EXPECT_EQ(lanes_of<uint8_t>(shift(Opcode::I8x16ShrU, i8, 9))[0], 64);
  EXPECT_EQ(shift(Opcode::I8x16Shl, i8, 8), i8);
  const V128 i16 = make<int16_t>({-32768, 3});
  EXPECT_EQ(lanes_of<int16_t>(shift(Opcode::I16x8ShrS, i16, 17))[0], -16384);
  EXPECT_EQ(lanes_of<uint16_t>(shift(Opcode::I16x8ShrU, i16, 15))[0], 1);
  EXPECT_EQ(lanes_of<int16_t>(shift(Opcode::I16x8Shl, i16, 16 + 2))[1], 12);
  const V128 i32 = make<int32_t>({INT32_MIN, 1, -1, 2});
  EXPECT_EQ(shift(Opcode::I32x4Shl, i32, 32), i32);
  EXPECT_EQ(lanes_of<int32_t>(shift(Opcode::I32x4ShrS, i32, 63)), vec<int32_t>({-1, 0, -1, 0}));
  EXPECT_EQ(lanes_of<uint32_t>(shift(Opcode::I32x4ShrU, i32, 0xffffffff)),
            vec<uint32_t>({1, 0, 1, 0}));
  const V128 i64 = make<int64_t>({INT64_MIN, 1});
  EXPECT_EQ(lanes_of<int64_t>(shift(Opcode::I64x2ShrS, i64, 65)), vec<int64_t>({INT64_MIN / 2, 0}));
  EXPECT_EQ(lanes_of<uint64_t>(shift(Opcode::I64x2ShrU, i64, 127)), vec<uint64_t>({1, 0}));
  EXPECT_EQ(lanes_of<uint64_t>(shift(Opcode::I64x2Shl, i64, 64 + 63)),
            vec<uint64_t>({0, uint64_t{1} << 63}));
}

TEST(Simd, BitmaskTakesTheTopBitOfEachLane) {
  EXPECT_EQ(test(Opcode::I8x16Bitmask, make<int8_t>({-1, 0, -128, 127, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                     0, 0, -2})),
            0x8005u);
  EXPECT_EQ(test(Opcode::I16x8Bitmask, make<int16_t>({0, -32768, 32767, 0, 0, 0, 0, -1})), 0x82u);
  EXPECT_EQ(test(Opcode::I32x4Bitmask, make<int32_t>({-1, 1, INT32_MIN, 0})), 0x5u);
  EXPECT_EQ(test(Opcode::I64x2Bitmask, make<int64_t>({1, -1})), 0x2u);
  EXPECT_EQ(test(Opcode::I8x16Bitmask, V128{~0ull, ~0ull}), 0xffffu);
}

TEST(Simd, AllTrueAndAnyTrue) {
  EXPECT_EQ(test(Opcode::V128AnyTrue, V128{}), 0u);
  EXPECT_EQ(test(Opcode::V128AnyTrue, V128{0, 1ull << 63}), 1u);
  const V128 one_zero_byte = V128{0xffffffffffff00ff, ~0ull};
  EXPECT_EQ(test(Opcode::I8x16AllTrue, one_zero_byte), 0u);
  EXPECT_EQ(test(Opcode::I16x8AllTrue, one_zero_byte), 1u);
  EXPECT_EQ(test(Opcode::I8x16AllTrue, splat(Opcode::I8x16Splat, 1)), 1u);
  EXPECT_EQ(test(Opcode::I32x4AllTrue, make<uint32_t>({1, 1, 0, 1})), 0u);
  EXPECT_EQ(test(Opcode::I32x4AllTrue, make<uint32_t>({1, 1, 0x100, 1})), 1u);
  EXPECT_EQ(test(Opcode::I64x2AllTrue, V128{1ull << 40, 0}), 0u);
  EXPECT_EQ(test(Opcode::I64x2AllTrue, V128{1ull << 40, 1}), 1u);
}

TEST(Simd, IntegerAbsNegWrapAndPopcnt) {
  EXPECT_EQ(lanes_of<int8_t>(unary(Opcode::I8x16Abs, make<int8_t>({-128, -5, 5, 0})))[0], -128);
  EXPECT_EQ(lanes_of<int8_t>(unary(Opcode::I8x16Abs, make<int8_t>({-128, -5, 5, 0})))[1], 5);
  EXPECT_EQ(lanes_of<int8_t>(unary(Opcode::I8x16Neg, make<int8_t>({-128, -5, 5, 0})))[0], -128);
  EXPECT_EQ(lanes_of<int8_t>(unary(Opcode::I8x16Neg, make<int8_t>({-128, -5, 5, 0})))[2], -5);
  EXPECT_EQ(lanes_of<int16_t>(unary(Opcode::I16x8Abs, make<int16_t>({-32768, -1}))),
            vec<int16_t>({-32768, 1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(lanes_of<int32_t>(unary(Opcode::I32x4Abs, make<int32_t>({INT32_MIN, -7, 7, 0}))),
            vec<int32_t>({INT32_MIN, 7, 7, 0}));
  EXPECT_EQ(lanes_of<int32_t>(unary(Opcode::I32x4Neg, make<int32_t>({INT32_MIN, -7, 7, 0}))),
            vec<int32_t>({INT32_MIN, 7, -7, 0}));
  EXPECT_EQ(lanes_of<int64_t>(unary(Opcode::I64x2Abs, make<int64_t>({INT64_MIN, -3}))),
            vec<int64_t>({INT64_MIN, 3}));
  EXPECT_EQ(lanes_of<int64_t>(unary(Opcode::I64x2Neg, make<int64_t>({INT64_MIN, -3}))),
            vec<int64_t>({INT64_MIN, 3}));
  EXPECT_EQ(lanes_of<uint8_t>(unary(Opcode::I8x16Popcnt, make<uint8_t>({0xff, 0, 0x81, 0x10}))),
            vec<uint8_t>({8, 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(Simd, AverageDotAndWideningMultiplies) {
  EXPECT_EQ(lanes_of<uint8_t>(binary(Opcode::I8x16AvgrU, make<uint8_t>({255, 0, 1, 2}),
                                     make<uint8_t>({255, 1, 2, 2})))[0],
            255);
  EXPECT_EQ(lanes_of<uint8_t>(binary(Opcode::I8x16AvgrU, make<uint8_t>({255, 0, 1, 2}),
                                     make<uint8_t>({255, 1, 2, 2})))[1],
            1);
  EXPECT_EQ(lanes_of<uint16_t>(binary(Opcode::I16x8AvgrU, make<uint16_t>({65535, 3}),
                                      make<uint16_t>({65534, 4}))),
            vec<uint16_t>({65535, 4, 0, 0, 0, 0, 0, 0}));

  const V128 min16 = splat(Opcode::I16x8Splat, 0x8000);
  EXPECT_EQ(lanes_of<int32_t>(binary(Opcode::I32x4DotI16x8S, min16, min16)),
            vec<int32_t>({INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN}));
  EXPECT_EQ(lanes_of<int32_t>(binary(Opcode::I32x4DotI16x8S, make<int16_t>({1, 2, -3, 4}),
                                     make<int16_t>({5, 6, 7, 8}))),
            vec<int32_t>({17, 11, 0, 0}));

  const V128 a8 = make<int8_t>({-128, 2, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 127});
  const V128 b8 = make<int8_t>({-128, -3, 0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 127});
  EXPECT_EQ(lanes_of<int16_t>(binary(Opcode::I16x8ExtmulLowI8x16S, a8, b8)),
            vec<int16_t>({16384, -6, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(lanes_of<uint16_t>(binary(Opcode::I16x8ExtmulHighI8x16U, a8, b8)),
            vec<uint16_t>({65025, 0, 0, 0, 0, 0, 0, 16129}));
  EXPECT_EQ(lanes_of<uint32_t>(binary(Opcode::I32x4ExtmulLowI16x8U, splat(Opcode::I16x8Splat, 0xffff),
                                      splat(Opcode::I16x8Splat, 0xffff))),
            vec<uint32_t>({0xfffe0001, 0xfffe0001, 0xfffe0001, 0xfffe0001}));
  EXPECT_EQ(lanes_of<int64_t>(binary(Opcode::I64x2ExtmulHighI32x4S, make<int32_t>({0, 0, INT32_MIN, -1}),
                                     make<int32_t>({0, 0, INT32_MIN, 5}))),
            vec<int64_t>({int64_t{1} << 62, -5}));
  EXPECT_EQ(lanes_of<uint64_t>(binary(Opcode::I64x2ExtmulLowI32x4U, make<uint32_t>({UINT32_MAX, 2}),
                                      make<uint32_t>({UINT32_MAX, 3}))),
            vec<uint64_t>({0xfffffffe00000001, 6}));
  EXPECT_EQ(lanes_of<uint16_t>(binary(Opcode::I16x8Mul, splat(Opcode::I16x8Splat, 0xffff),
                                      splat(Opcode::I16x8Splat, 0xffff)))[0],
            1);
  EXPECT_EQ(lanes_of<uint64_t>(binary(Opcode::I64x2Mul, make<uint64_t>({UINT64_MAX, 1ull << 32}),
                                      make<uint64_t>({UINT64_MAX, 1ull << 32}))),
            vec<uint64_t>({1, 0}));
}

TEST(Simd, ExtendAndExtaddPairwise) {
  const V128 a = make<int8_t>({-1, -128, 127, 0, 0, 0, 0, 5, -2, 0, 0, 0, 0, 0, 0, -3});
  EXPECT_EQ(lanes_of<int16_t>(unary(Opcode::I16x8ExtendLowI8x16S, a)),
            vec<int16_t>({-1, -128, 127, 0, 0, 0, 0, 5}));
  EXPECT_EQ(lanes_of<uint16_t>(unary(Opcode::I16x8ExtendHighI8x16U, a)),
            vec<uint16_t>({254, 0, 0, 0, 0, 0, 0, 253}));
  EXPECT_EQ(lanes_of<int64_t>(unary(Opcode::I64x2ExtendHighI32x4S, make<int32_t>({1, 2, -3, INT32_MIN}))),
            vec<int64_t>({-3, INT32_MIN}));
  EXPECT_EQ(lanes_of<uint64_t>(unary(Opcode::I64x2ExtendLowI32x4U, make<int32_t>({-1, 2}))),
            vec<uint64_t>({0xffffffff, 2}));
  EXPECT_EQ(lanes_of<int16_t>(unary(Opcode::I16x8ExtaddPairwiseI8x16S, a)),
            vec<int16_t>({-129, 127, 0, 5, -2, 0, 0, -3}));
  EXPECT_EQ(lanes_of<uint16_t>(unary(Opcode::I16x8ExtaddPairwiseI8x16U, splat(Opcode::I8x16Splat, 0xff))),
            vec<uint16_t>({510, 510, 510, 510, 510, 510, 510, 510}));
  EXPECT_EQ(lanes_of<int32_t>(unary(Opcode::I32x4ExtaddPairwiseI16x8S, splat(Opcode::I16x8Splat, 0x8000))),
            vec<int32_t>({-65536, -65536, -65536, -65536}));
  EXPECT_EQ(lanes_of<uint32_t>(unary(Opcode::I32x4ExtaddPairwiseI16x8U, splat(Opcode::I16x8Splat, 0xffff))),
            vec<uint32_t>({131070, 131070, 131070, 131070}));
}

TEST(Simd, Comparisons) {
  const V128 a = make<int64_t>({-1, 5});
  const V128 b = make<int64_t>({1, 5});
  EXPECT_EQ(binary(Opcode::I64x2LtS, a, b), (V128{~0ull, 0}));
  EXPECT_EQ(binary(Opcode::I64x2GeS, a, b), (V128{0, ~0ull}));
  EXPECT_EQ(binary(Opcode::I64x2LeS, a, b), (V128{~0ull, ~0ull}));
  EXPECT_EQ(binary(Opcode::I64x2GtS, a, b), (V128{0, 0}));
  EXPECT_EQ(binary(Opcode::I64x2Ne, a, b), (V128{~0ull, 0}));
  EXPECT_EQ(binary(Opcode::I64x2Eq, a, b), (V128{0, ~0ull}));
  EXPECT_EQ(lanes_of<uint8_t>(binary(Opcode::I8x16LtU, make<int8_t>({-1}), make<int8_t>({1})))[0], 0);
  EXPECT_EQ(lanes_of<uint8_t>(binary(Opcode::I8x16LtS, make<int8_t>({-1}), make<int8_t>({1})))[0], 0xff);
  EXPECT_EQ(lanes_of<uint32_t>(binary(Opcode::I32x4GtU, make<int32_t>({-1}), make<int32_t>({1})))[0],
            0xffffffffu);
  const V128 f = make<float>({kNanF, 1, -0.0f, 2});
  const V128 g = make<float>({kNanF, 2, 0.0f, 1});
  EXPECT_EQ(lanes_of<uint32_t>(binary(Opcode::F32x4Eq, f, g)), vec<uint32_t>({0, 0, ~0u, 0}));
  EXPECT_EQ(lanes_of<uint32_t>(binary(Opcode::F32x4Ne, f, g)), vec<uint32_t>({~0u, ~0u, 0, ~0u}));
  EXPECT_EQ(lanes_of<uint32_t>(binary(Opcode::F32x4Lt, f, g)), vec<uint32_t>({0, ~0u, 0, 0}));
  EXPECT_EQ(lanes_of<uint32_t>(binary(Opcode::F32x4Ge, f, g)), vec<uint32_t>({0, 0, ~0u, ~0u}));
  EXPECT_EQ(binary(Opcode::F64x2Le, make<double>({kNanD, 1}), make<double>({1, 1})), (V128{0, ~0ull}));
}

TEST(Simd, BitwiseOperators) {
  const V128 a{0xff00ff00ff00ff00, 0x0123456789abcdef};
  const V128 b{0x0ff00ff00ff00ff0, 0xffffffff00000000};
  EXPECT_EQ(binary(Opcode::V128And, a, b), (V128{a.lo & b.lo, a.hi & b.hi}));
  EXPECT_EQ(binary(Opcode::V128Andnot, a, b), (V128{a.lo & ~b.lo, a.hi & ~b.hi}));
  EXPECT_EQ(binary(Opcode::V128Or, a, b), (V128{a.lo | b.lo, a.hi | b.hi}));
  EXPECT_EQ(binary(Opcode::V128Xor, a, b), (V128{a.lo ^ b.lo, a.hi ^ b.hi}));
  EXPECT_EQ(unary(Opcode::V128Not, a), (V128{~a.lo, ~a.hi}));
  const V128 mask{0xffffffff00000000, 0x00000000ffffffff};
  EXPECT_EQ(ternary(Opcode::V128Bitselect, a, b, mask),
            (V128{(a.lo & mask.lo) | (b.lo & ~mask.lo), (a.hi & mask.hi) | (b.hi & ~mask.hi)}));
}

TEST(Simd, IntegerArithmeticWraps) {
  EXPECT_EQ(lanes_of<uint8_t>(binary(Opcode::I8x16Add, make<uint8_t>({255, 1}), make<uint8_t>({1, 1})))[0], 0);
  EXPECT_EQ(lanes_of<uint16_t>(binary(Opcode::I16x8Sub, make<uint16_t>({0}), make<uint16_t>({1})))[0], 65535);
  EXPECT_EQ(lanes_of<int32_t>(binary(Opcode::I32x4Mul, make<int32_t>({INT32_MAX, -2}),
                                     make<int32_t>({2, 3})))[0],
            -2);
  EXPECT_EQ(lanes_of<int8_t>(binary(Opcode::I8x16MinS, make<int8_t>({-1}), make<int8_t>({1})))[0], -1);
  EXPECT_EQ(lanes_of<uint8_t>(binary(Opcode::I8x16MinU, make<int8_t>({-1}), make<int8_t>({1})))[0], 1);
  EXPECT_EQ(lanes_of<int16_t>(binary(Opcode::I16x8MaxS, make<int16_t>({-1}), make<int16_t>({1})))[0], 1);
  EXPECT_EQ(lanes_of<uint32_t>(binary(Opcode::I32x4MaxU, make<int32_t>({-1}), make<int32_t>({1})))[0],
            0xffffffffu);
  EXPECT_EQ(binary(Opcode::I64x2Add, V128{~0ull, 1}, V128{1, 1}), (V128{0, 2}));
  EXPECT_EQ(binary(Opcode::I64x2Sub, V128{0, 1}, V128{1, 1}), (V128{~0ull, 0}));
}

TEST(Simd, FloatArithmetic) {
  const auto sum = lanes_of<float>(binary(Opcode::F32x4Add, make<float>({1, kInfF, 0.1f, -0.0f}),
                                          make<float>({2, -kInfF, 0.2f, -0.0f})));
  EXPECT_EQ(sum[0], 3.0f);
  EXPECT_TRUE(std::isnan(sum[1]));
  EXPECT_EQ(sum[2], 0.1f + 0.2f);
  EXPECT_EQ(bits_of(sum[3]), bits_of(-0.0f));
  EXPECT_EQ(lanes_of<double>(binary(Opcode::F64x2Div, make<double>({1, -1}), make<double>({0, 0}))),
            vec<double>({kInfD, -kInfD}));
  EXPECT_EQ(lanes_of<double>(unary(Opcode::F64x2Sqrt, make<double>({4, 2}))),
            vec<double>({2, std::sqrt(2.0)}));
  EXPECT_TRUE(std::isnan(lanes_of<float>(unary(Opcode::F32x4Sqrt, make<float>({-1})))[0]));
}

TEST(Simd, LoadForms) {
  const uint8_t mem[16] = {0x80, 0x01, 0xff, 0x7f, 0x00, 0x80, 0x02, 0x03,
                           0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10};
  EXPECT_EQ(lanes_of<int16_t>(load(Opcode::V128Load8x8S, mem)),
            vec<int16_t>({-128, 1, -1, 127, 0, -128, 2, 3}));
  EXPECT_EQ(lanes_of<uint16_t>(load(Opcode::V128Load8x8U, mem)),
            vec<uint16_t>({128, 1, 255, 127, 0, 128, 2, 3}));
  EXPECT_EQ(lanes_of<int32_t>(load(Opcode::V128Load16x4S, mem)),
            vec<int32_t>({0x0180, 0x7fff, -32768, 0x0302}));
  EXPECT_EQ(lanes_of<uint32_t>(load(Opcode::V128Load16x4U, mem)),
            vec<uint32_t>({0x0180, 0x7fff, 0x8000, 0x0302}));
  EXPECT_EQ(lanes_of<int64_t>(load(Opcode::V128Load32x2S, mem + 4)),
            vec<int64_t>({int64_t{int32_t(0x03028000)}, int64_t{int32_t(0x0c0b0a09)}}));
  EXPECT_EQ(lanes_of<uint64_t>(load(Opcode::V128Load32x2U, mem)),
            vec<uint64_t>({0x7fff0180, 0x03028000}));
  EXPECT_EQ(load(Opcode::V128Load8Splat, mem), (V128{0x8080808080808080, 0x8080808080808080}));
  EXPECT_EQ(load(Opcode::V128Load16Splat, mem), (V128{0x0180018001800180, 0x0180018001800180}));
  EXPECT_EQ(load(Opcode::V128Load32Splat, mem), (V128{0x7fff01807fff0180, 0x7fff01807fff0180}));
  EXPECT_EQ(load(Opcode::V128Load64Splat, mem), (V128{0x030280007fff0180, 0x030280007fff0180}));
  EXPECT_EQ(load(Opcode::V128Load32Zero, mem), (V128{0x7fff0180, 0}));
  EXPECT_EQ(load(Opcode::V128Load64Zero, mem), (V128{0x030280007fff0180, 0}));
  EXPECT_EQ(load(Opcode::V128Load, mem), (V128{0x030280007fff0180, 0x100f0e0d0c0b0a09}));
}

TEST(Simd, OpcodeOutsideTheClassGivesZero) {
  const V128 a{1, 2};
  EXPECT_EQ(unary(Opcode::I32x4Add, a), V128{});
  EXPECT_EQ(unary(Opcode::I32Add, a), V128{});
  EXPECT_EQ(binary(Opcode::I32x4Abs, a, a), V128{});
  EXPECT_EQ(binary(Opcode::Nop, a, a), V128{});
  EXPECT_EQ(ternary(Opcode::V128And, a, a, a), V128{});
  EXPECT_EQ(shift(Opcode::I32x4Add, a, 1), V128{});
  EXPECT_EQ(test(Opcode::I32x4Add, a), 0u);
  EXPECT_EQ(splat(Opcode::I32x4Add, 1), V128{});
  EXPECT_EQ(extract_lane(Opcode::I32x4ReplaceLane, a, 0), 0u);
  EXPECT_EQ(replace_lane(Opcode::I32x4ExtractLane, a, 0, 1), V128{});
  const uint8_t mem[16] = {1, 2, 3};
  EXPECT_EQ(load(Opcode::V128Store, mem), V128{});
}

}  // namespace
}  // namespace kiln::simd
