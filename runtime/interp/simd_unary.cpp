// SIMD128 unary operators ("v:v" in opcodes.def): not, integer abs / neg / popcnt, float
// abs / neg / sqrt and rounding, and the conversions: extend, extadd_pairwise, trunc_sat,
// convert, demote and promote (spec 4.3.3).
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/interp/simd.h"
#include "runtime/interp/simd_lanes.h"

namespace kiln::simd {

using detail::Lanes;
using detail::lanes;
using detail::map;
using detail::pack;

namespace {

// Called with the unsigned lane type, so that abs(INT_MIN) and neg(INT_MIN) wrap.
template <typename U>
V128 int_abs(V128 a) {
  constexpr U sign = U{1} << (sizeof(U) * 8 - 1);
  return map<U>(a, [](U x) { return (x & sign) != 0 ? U(0 - x) : x; });
}
template <typename U>
V128 int_neg(V128 a) {
  return map<U>(a, [](U x) { return U(0 - x); });
}

/// Float abs / neg touch the sign bits only (NaN payloads included), one mask per half.
constexpr uint64_t kF32Signs = 0x8000'0000'8000'0000;
constexpr uint64_t kF64Signs = 0x8000'0000'0000'0000;
V128 clear_bits(V128 a, uint64_t mask) { return V128{a.lo & ~mask, a.hi & ~mask}; }
V128 flip_bits(V128 a, uint64_t mask) { return V128{a.lo ^ mask, a.hi ^ mask}; }

/// extend_low / extend_high: half the lanes of `a`, each widened to `To`.
template <typename From, typename To>
V128 extend(V128 a, bool high) {
  const Lanes<From> x = lanes<From>(a);
  Lanes<To> r;
  const size_t offset = high ? r.size() : 0;
  for (size_t i = 0; i < r.size(); ++i) r[i] = x[i + offset];
  return pack<To>(r);
}

/// extadd_pairwise: sums of adjacent lanes, widened (never overflows).
template <typename From, typename To>
V128 extadd_pairwise(V128 a) {
  const Lanes<From> x = lanes<From>(a);
  Lanes<To> r;
  for (size_t i = 0; i < r.size(); ++i) r[i] = static_cast<To>(To{x[2 * i]} + To{x[2 * i + 1]});
  return pack<To>(r);
}

/// trunc_sat_s to i32: NaN gives 0, out-of-range values the nearest bound.
template <typename F>
int32_t trunc_sat_s32(F x) {
  if (std::isnan(x)) return 0;
  if (x <= F(-2147483648.0)) return std::numeric_limits<int32_t>::min();
  if (x >= F(2147483648.0)) return std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(x);
}
template <typename F>
uint32_t trunc_sat_u32(F x) {
  if (std::isnan(x) || x <= F(0)) return 0;
  if (x >= F(4294967296.0)) return std::numeric_limits<uint32_t>::max();
  return static_cast<uint32_t>(x);
}

/// Lane i of the result is `f` of lane i of `a` (the lane counts are equal).
template <typename From, typename To, typename F>
V128 convert(V128 a, F f) {
  static_assert(sizeof(From) == sizeof(To));
  const Lanes<From> x = lanes<From>(a);
  Lanes<To> r;
  for (size_t i = 0; i < r.size(); ++i) r[i] = f(x[i]);
  return pack<To>(r);
}

/// Rounds to nearest, ties to even (the conversion of the default rounding mode).
constexpr auto to_float = [](auto x) { return static_cast<float>(x); };

/// i32x4.trunc_sat_f64x2_*_zero: the two f64 lanes converted into lanes 0 and 1, 2 and 3 zero.
template <typename I, typename Convert>
V128 trunc_sat_f64x2_zero(V128 a, Convert convert) {
  const Lanes<double> x = lanes<double>(a);
  return pack<I>(Lanes<I>{convert(x[0]), convert(x[1]), 0, 0});
}

/// f64x2.convert_low_i32x4_*: lanes 0 and 1 of `a` as I, converted exactly to f64.
template <typename I>
V128 convert_low(V128 a) {
  const Lanes<I> x = lanes<I>(a);
  return pack<double>(Lanes<double>{static_cast<double>(x[0]), static_cast<double>(x[1])});
}

V128 demote_zero(V128 a) {
  const Lanes<double> x = lanes<double>(a);
  return pack<float>(Lanes<float>{static_cast<float>(x[0]), static_cast<float>(x[1]), 0, 0});
}

V128 promote_low(V128 a) {
  const Lanes<float> x = lanes<float>(a);
  return pack<double>(Lanes<double>{double{x[0]}, double{x[1]}});
}

// Rounding (spec fceil, ffloor, ftrunc, fnearest); nearest rounds half to even, which is
// nearbyint under the default rounding mode the runtime never changes. A NaN must come back
// quiet (an arithmetic NaN), and libm's ceil/floor/trunc may return a signalling NaN as it
// is, so NaNs are quieted here by an addition.
constexpr auto ceil = [](auto x) { return std::isnan(x) ? x + x : std::ceil(x); };
constexpr auto floor = [](auto x) { return std::isnan(x) ? x + x : std::floor(x); };
constexpr auto trunc = [](auto x) { return std::isnan(x) ? x + x : std::trunc(x); };
constexpr auto nearest = [](auto x) { return std::isnan(x) ? x + x : std::nearbyint(x); };
constexpr auto sqrt = [](auto x) { return std::sqrt(x); };

}  // namespace

V128 unary(Opcode op, V128 a) {
  switch (op) {
    case Opcode::V128Not: return V128{~a.lo, ~a.hi};

    case Opcode::I8x16Abs: return int_abs<uint8_t>(a);
    case Opcode::I8x16Neg: return int_neg<uint8_t>(a);
    case Opcode::I8x16Popcnt: return map<uint8_t>(a, [](uint8_t x) { return std::popcount(x); });
    case Opcode::I16x8Abs: return int_abs<uint16_t>(a);
    case Opcode::I16x8Neg: return int_neg<uint16_t>(a);
    case Opcode::I32x4Abs: return int_abs<uint32_t>(a);
    case Opcode::I32x4Neg: return int_neg<uint32_t>(a);
    case Opcode::I64x2Abs: return int_abs<uint64_t>(a);
    case Opcode::I64x2Neg: return int_neg<uint64_t>(a);

    case Opcode::F32x4Abs: return clear_bits(a, kF32Signs);
    case Opcode::F32x4Neg: return flip_bits(a, kF32Signs);
    case Opcode::F32x4Sqrt: return map<float>(a, sqrt);
    case Opcode::F32x4Ceil: return map<float>(a, ceil);
    case Opcode::F32x4Floor: return map<float>(a, floor);
    case Opcode::F32x4Trunc: return map<float>(a, trunc);
    case Opcode::F32x4Nearest: return map<float>(a, nearest);
    case Opcode::F64x2Abs: return clear_bits(a, kF64Signs);
    case Opcode::F64x2Neg: return flip_bits(a, kF64Signs);
    case Opcode::F64x2Sqrt: return map<double>(a, sqrt);
    case Opcode::F64x2Ceil: return map<double>(a, ceil);
    case Opcode::F64x2Floor: return map<double>(a, floor);
    case Opcode::F64x2Trunc: return map<double>(a, trunc);
    case Opcode::F64x2Nearest: return map<double>(a, nearest);

    case Opcode::I16x8ExtendLowI8x16S: return extend<int8_t, int16_t>(a, false);
    case Opcode::I16x8ExtendHighI8x16S: return extend<int8_t, int16_t>(a, true);
    case Opcode::I16x8ExtendLowI8x16U: return extend<uint8_t, uint16_t>(a, false);
    case Opcode::I16x8ExtendHighI8x16U: return extend<uint8_t, uint16_t>(a, true);
    case Opcode::I32x4ExtendLowI16x8S: return extend<int16_t, int32_t>(a, false);
    case Opcode::I32x4ExtendHighI16x8S: return extend<int16_t, int32_t>(a, true);
    case Opcode::I32x4ExtendLowI16x8U: return extend<uint16_t, uint32_t>(a, false);
    case Opcode::I32x4ExtendHighI16x8U: return extend<uint16_t, uint32_t>(a, true);
    case Opcode::I64x2ExtendLowI32x4S: return extend<int32_t, int64_t>(a, false);
    case Opcode::I64x2ExtendHighI32x4S: return extend<int32_t, int64_t>(a, true);
    case Opcode::I64x2ExtendLowI32x4U: return extend<uint32_t, uint64_t>(a, false);
    case Opcode::I64x2ExtendHighI32x4U: return extend<uint32_t, uint64_t>(a, true);
    case Opcode::I16x8ExtaddPairwiseI8x16S: return extadd_pairwise<int8_t, int16_t>(a);
    case Opcode::I16x8ExtaddPairwiseI8x16U: return extadd_pairwise<uint8_t, uint16_t>(a);
    case Opcode::I32x4ExtaddPairwiseI16x8S: return extadd_pairwise<int16_t, int32_t>(a);
    case Opcode::I32x4ExtaddPairwiseI16x8U: return extadd_pairwise<uint16_t, uint32_t>(a);

    case Opcode::I32x4TruncSatF32x4S: return convert<float, int32_t>(a, trunc_sat_s32<float>);
    case Opcode::I32x4TruncSatF32x4U: return convert<float, uint32_t>(a, trunc_sat_u32<float>);
    case Opcode::I32x4TruncSatF64x2SZero:
      return trunc_sat_f64x2_zero<int32_t>(a, trunc_sat_s32<double>);
    case Opcode::I32x4TruncSatF64x2UZero:
      return trunc_sat_f64x2_zero<uint32_t>(a, trunc_sat_u32<double>);
    case Opcode::F32x4ConvertI32x4S: return convert<int32_t, float>(a, to_float);
    case Opcode::F32x4ConvertI32x4U: return convert<uint32_t, float>(a, to_float);
    case Opcode::F64x2ConvertLowI32x4S: return convert_low<int32_t>(a);
    case Opcode::F64x2ConvertLowI32x4U: return convert_low<uint32_t>(a);
    case Opcode::F32x4DemoteF64x2Zero: return demote_zero(a);
    case Opcode::F64x2PromoteLowF32x4: return promote_low(a);
    default: return detail::wrong_class();
  }
}

}  // namespace kiln::simd
