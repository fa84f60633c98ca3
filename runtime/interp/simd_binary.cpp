// SIMD128 binary operators ("vv:v" in opcodes.def): lane-wise integer and float arithmetic,
// comparisons, bitwise operators, saturating and rounding-average arithmetic, narrowing,
// extending multiplies, dot product, q15mulr and swizzle (spec 4.3.3).
#include <cmath>
#include <cstdint>

#include "runtime/interp/simd.h"
#include "runtime/interp/simd_lanes.h"

namespace kiln::simd {

using detail::compare;
using detail::Lanes;
using detail::lanes;
using detail::pack;
using detail::saturate;
using detail::zip;

namespace {

// Integer lane operators, called with the lane type that gives the instruction's
// signedness. Results are converted back to the lane type by zip(), which wraps.
constexpr auto add = [](auto x, auto y) { return x + y; };
constexpr auto sub = [](auto x, auto y) { return x - y; };
// Widened first: uint16_t * uint16_t would be int * int and could overflow.
constexpr auto mul = [](auto x, auto y) { return static_cast<uint64_t>(x) * y; };
constexpr auto min = [](auto x, auto y) { return y < x ? y : x; };
constexpr auto max = [](auto x, auto y) { return x < y ? y : x; };
constexpr auto avgr = [](auto x, auto y) { return (uint32_t{x} + y + 1) >> 1; };
constexpr auto add_sat = [](auto x, auto y) {
  return saturate<decltype(x)>(int64_t{x} + int64_t{y});
};
constexpr auto sub_sat = [](auto x, auto y) {
  return saturate<decltype(x)>(int64_t{x} - int64_t{y});
};
// Spec: sat_s((x * y + 2^14) >> 15); only INT16_MIN * INT16_MIN saturates.
constexpr auto q15mulr = [](int16_t x, int16_t y) {
  return saturate<int16_t>((int32_t{x} * int32_t{y} + 0x4000) >> 15);
};

constexpr auto eq = [](auto x, auto y) { return x == y; };
constexpr auto ne = [](auto x, auto y) { return x != y; };
constexpr auto lt = [](auto x, auto y) { return x < y; };
constexpr auto gt = [](auto x, auto y) { return x > y; };
constexpr auto le = [](auto x, auto y) { return x <= y; };
constexpr auto ge = [](auto x, auto y) { return x >= y; };

// Float operators (spec 4.3.3, fadd ... fpmax). Arithmetic on NaN inputs yields a quiet NaN
// from the hardware, which is what the spec's nondeterministic NaN results allow.
constexpr auto fmul = [](auto x, auto y) { return x * y; };
constexpr auto fdiv = [](auto x, auto y) { return x / y; };

/// fmin: NaN if either operand is NaN, and -0 below +0.
template <typename F>
F fmin(F x, F y) {
  if (std::isnan(x) || std::isnan(y)) return x + y;  // a quiet NaN, payload propagated
  if (x == y) return std::signbit(x) ? x : y;
  return x < y ? x : y;
}
template <typename F>
F fmax(F x, F y) {
  if (std::isnan(x) || std::isnan(y)) return x + y;
  if (x == y) return std::signbit(x) ? y : x;
  return x < y ? y : x;
}
/// pmin / pmax are exactly these selections (NaN and signed zeros included).
constexpr auto pmin = [](auto a, auto b) { return b < a ? b : a; };
constexpr auto pmax = [](auto a, auto b) { return a < b ? b : a; };

/// narrow: the lanes of `a` then those of `b`, each saturated to `To`.
template <typename From, typename To>
V128 narrow(V128 a, V128 b) {
  const Lanes<From> x = lanes<From>(a);
  const Lanes<From> y = lanes<From>(b);
  Lanes<To> r;
  for (size_t i = 0; i < x.size(); ++i) {
    r[i] = saturate<To>(x[i]);
    r[i + x.size()] = saturate<To>(y[i]);
  }
  return pack<To>(r);
}

/// extmul_low / extmul_high: the low or high half of the lanes, extended and multiplied.
template <typename From, typename To>
V128 extmul(V128 a, V128 b, bool high) {
  const Lanes<From> x = lanes<From>(a);
  const Lanes<From> y = lanes<From>(b);
  Lanes<To> r;
  const size_t offset = high ? r.size() : 0;
  for (size_t i = 0; i < r.size(); ++i) {
    // Both products fit the wide type; computed in 64 bits to avoid int promotion.
    using Wide = std::conditional_t<std::is_signed_v<From>, int64_t, uint64_t>;
    r[i] = static_cast<To>(Wide{x[i + offset]} * Wide{y[i + offset]});
  }
  return pack<To>(r);
}

/// i32x4.dot_i16x8_s: sums of adjacent products; only -2^15 * -2^15 * 2 wraps.
V128 dot(V128 a, V128 b) {
  const Lanes<int16_t> x = lanes<int16_t>(a);
  const Lanes<int16_t> y = lanes<int16_t>(b);
  Lanes<int32_t> r;
  for (size_t i = 0; i < r.size(); ++i) {
    const int64_t sum = int64_t{x[2 * i]} * y[2 * i] + int64_t{x[2 * i + 1]} * y[2 * i + 1];
    r[i] = static_cast<int32_t>(sum);
  }
  return pack<int32_t>(r);
}

/// i8x16.swizzle: lanes of `a` selected by the lanes of `b`; an index of 16 or more gives 0.
V128 swizzle(V128 a, V128 b) {
  const Lanes<uint8_t> x = lanes<uint8_t>(a);
  const Lanes<uint8_t> idx = lanes<uint8_t>(b);
  Lanes<uint8_t> r;
  for (size_t i = 0; i < r.size(); ++i) r[i] = idx[i] < 16 ? x[idx[i]] : 0;
  return pack<uint8_t>(r);
}

}  // namespace

V128 binary(Opcode op, V128 a, V128 b) {
  switch (op) {
    case Opcode::I8x16Eq: return compare<uint8_t>(a, b, eq);
    case Opcode::I8x16Ne: return compare<uint8_t>(a, b, ne);
    case Opcode::I8x16LtS: return compare<int8_t>(a, b, lt);
    case Opcode::I8x16LtU: return compare<uint8_t>(a, b, lt);
    case Opcode::I8x16GtS: return compare<int8_t>(a, b, gt);
    case Opcode::I8x16GtU: return compare<uint8_t>(a, b, gt);
    case Opcode::I8x16LeS: return compare<int8_t>(a, b, le);
    case Opcode::I8x16LeU: return compare<uint8_t>(a, b, le);
    case Opcode::I8x16GeS: return compare<int8_t>(a, b, ge);
    case Opcode::I8x16GeU: return compare<uint8_t>(a, b, ge);
    case Opcode::I16x8Eq: return compare<uint16_t>(a, b, eq);
    case Opcode::I16x8Ne: return compare<uint16_t>(a, b, ne);
    case Opcode::I16x8LtS: return compare<int16_t>(a, b, lt);
    case Opcode::I16x8LtU: return compare<uint16_t>(a, b, lt);
    case Opcode::I16x8GtS: return compare<int16_t>(a, b, gt);
    case Opcode::I16x8GtU: return compare<uint16_t>(a, b, gt);
    case Opcode::I16x8LeS: return compare<int16_t>(a, b, le);
    case Opcode::I16x8LeU: return compare<uint16_t>(a, b, le);
    case Opcode::I16x8GeS: return compare<int16_t>(a, b, ge);
    case Opcode::I16x8GeU: return compare<uint16_t>(a, b, ge);
    case Opcode::I32x4Eq: return compare<uint32_t>(a, b, eq);
    case Opcode::I32x4Ne: return compare<uint32_t>(a, b, ne);
    case Opcode::I32x4LtS: return compare<int32_t>(a, b, lt);
    case Opcode::I32x4LtU: return compare<uint32_t>(a, b, lt);
    case Opcode::I32x4GtS: return compare<int32_t>(a, b, gt);
    case Opcode::I32x4GtU: return compare<uint32_t>(a, b, gt);
    case Opcode::I32x4LeS: return compare<int32_t>(a, b, le);
    case Opcode::I32x4LeU: return compare<uint32_t>(a, b, le);
    case Opcode::I32x4GeS: return compare<int32_t>(a, b, ge);
    case Opcode::I32x4GeU: return compare<uint32_t>(a, b, ge);
    case Opcode::I64x2Eq: return compare<uint64_t>(a, b, eq);
    case Opcode::I64x2Ne: return compare<uint64_t>(a, b, ne);
    case Opcode::I64x2LtS: return compare<int64_t>(a, b, lt);
    case Opcode::I64x2GtS: return compare<int64_t>(a, b, gt);
    case Opcode::I64x2LeS: return compare<int64_t>(a, b, le);
    case Opcode::I64x2GeS: return compare<int64_t>(a, b, ge);

    case Opcode::I8x16NarrowI16x8S: return narrow<int16_t, int8_t>(a, b);
    case Opcode::I8x16NarrowI16x8U: return narrow<int16_t, uint8_t>(a, b);
    case Opcode::I16x8NarrowI32x4S: return narrow<int32_t, int16_t>(a, b);
    case Opcode::I16x8NarrowI32x4U: return narrow<int32_t, uint16_t>(a, b);

    case Opcode::I8x16Add: return zip<uint8_t>(a, b, add);
    case Opcode::I8x16AddSatS: return zip<int8_t>(a, b, add_sat);
    case Opcode::I8x16AddSatU: return zip<uint8_t>(a, b, add_sat);
    case Opcode::I8x16Sub: return zip<uint8_t>(a, b, sub);
    case Opcode::I8x16SubSatS: return zip<int8_t>(a, b, sub_sat);
    case Opcode::I8x16SubSatU: return zip<uint8_t>(a, b, sub_sat);
    case Opcode::I8x16MinS: return zip<int8_t>(a, b, min);
    case Opcode::I8x16MinU: return zip<uint8_t>(a, b, min);
    case Opcode::I8x16MaxS: return zip<int8_t>(a, b, max);
    case Opcode::I8x16MaxU: return zip<uint8_t>(a, b, max);
    case Opcode::I8x16AvgrU: return zip<uint8_t>(a, b, avgr);

    case Opcode::I16x8Q15mulrSatS: return zip<int16_t>(a, b, q15mulr);
    case Opcode::I16x8Add: return zip<uint16_t>(a, b, add);
    case Opcode::I16x8AddSatS: return zip<int16_t>(a, b, add_sat);
    case Opcode::I16x8AddSatU: return zip<uint16_t>(a, b, add_sat);
    case Opcode::I16x8Sub: return zip<uint16_t>(a, b, sub);
    case Opcode::I16x8SubSatS: return zip<int16_t>(a, b, sub_sat);
    case Opcode::I16x8SubSatU: return zip<uint16_t>(a, b, sub_sat);
    case Opcode::I16x8Mul: return zip<uint16_t>(a, b, mul);
    case Opcode::I16x8MinS: return zip<int16_t>(a, b, min);
    case Opcode::I16x8MinU: return zip<uint16_t>(a, b, min);
    case Opcode::I16x8MaxS: return zip<int16_t>(a, b, max);
    case Opcode::I16x8MaxU: return zip<uint16_t>(a, b, max);
    case Opcode::I16x8AvgrU: return zip<uint16_t>(a, b, avgr);
    case Opcode::I16x8ExtmulLowI8x16S: return extmul<int8_t, int16_t>(a, b, false);
    case Opcode::I16x8ExtmulHighI8x16S: return extmul<int8_t, int16_t>(a, b, true);
    case Opcode::I16x8ExtmulLowI8x16U: return extmul<uint8_t, uint16_t>(a, b, false);
    case Opcode::I16x8ExtmulHighI8x16U: return extmul<uint8_t, uint16_t>(a, b, true);

    case Opcode::I32x4Add: return zip<uint32_t>(a, b, add);
    case Opcode::I32x4Sub: return zip<uint32_t>(a, b, sub);
    case Opcode::I32x4Mul: return zip<uint32_t>(a, b, mul);
    case Opcode::I32x4MinS: return zip<int32_t>(a, b, min);
    case Opcode::I32x4MinU: return zip<uint32_t>(a, b, min);
    case Opcode::I32x4MaxS: return zip<int32_t>(a, b, max);
    case Opcode::I32x4MaxU: return zip<uint32_t>(a, b, max);
    case Opcode::I32x4DotI16x8S: return dot(a, b);
    case Opcode::I32x4ExtmulLowI16x8S: return extmul<int16_t, int32_t>(a, b, false);
    case Opcode::I32x4ExtmulHighI16x8S: return extmul<int16_t, int32_t>(a, b, true);
    case Opcode::I32x4ExtmulLowI16x8U: return extmul<uint16_t, uint32_t>(a, b, false);
    case Opcode::I32x4ExtmulHighI16x8U: return extmul<uint16_t, uint32_t>(a, b, true);

    case Opcode::I64x2Add: return zip<uint64_t>(a, b, add);
    case Opcode::I64x2Sub: return zip<uint64_t>(a, b, sub);
    case Opcode::I64x2Mul: return zip<uint64_t>(a, b, mul);
    case Opcode::I64x2ExtmulLowI32x4S: return extmul<int32_t, int64_t>(a, b, false);
    case Opcode::I64x2ExtmulHighI32x4S: return extmul<int32_t, int64_t>(a, b, true);
    case Opcode::I64x2ExtmulLowI32x4U: return extmul<uint32_t, uint64_t>(a, b, false);
    case Opcode::I64x2ExtmulHighI32x4U: return extmul<uint32_t, uint64_t>(a, b, true);

    case Opcode::F32x4Eq: return compare<float>(a, b, eq);
    case Opcode::F32x4Ne: return compare<float>(a, b, ne);
    case Opcode::F32x4Lt: return compare<float>(a, b, lt);
    case Opcode::F32x4Gt: return compare<float>(a, b, gt);
    case Opcode::F32x4Le: return compare<float>(a, b, le);
    case Opcode::F32x4Ge: return compare<float>(a, b, ge);
    case Opcode::F64x2Eq: return compare<double>(a, b, eq);
    case Opcode::F64x2Ne: return compare<double>(a, b, ne);
    case Opcode::F64x2Lt: return compare<double>(a, b, lt);
    case Opcode::F64x2Gt: return compare<double>(a, b, gt);
    case Opcode::F64x2Le: return compare<double>(a, b, le);
    case Opcode::F64x2Ge: return compare<double>(a, b, ge);

    case Opcode::F32x4Add: return zip<float>(a, b, add);
    case Opcode::F32x4Sub: return zip<float>(a, b, sub);
    case Opcode::F32x4Mul: return zip<float>(a, b, fmul);
    case Opcode::F32x4Div: return zip<float>(a, b, fdiv);
    case Opcode::F32x4Min: return zip<float>(a, b, fmin<float>);
    case Opcode::F32x4Max: return zip<float>(a, b, fmax<float>);
    case Opcode::F32x4Pmin: return zip<float>(a, b, pmin);
    case Opcode::F32x4Pmax: return zip<float>(a, b, pmax);
    case Opcode::F64x2Add: return zip<double>(a, b, add);
    case Opcode::F64x2Sub: return zip<double>(a, b, sub);
    case Opcode::F64x2Mul: return zip<double>(a, b, fmul);
    case Opcode::F64x2Div: return zip<double>(a, b, fdiv);
    case Opcode::F64x2Min: return zip<double>(a, b, fmin<double>);
    case Opcode::F64x2Max: return zip<double>(a, b, fmax<double>);
    case Opcode::F64x2Pmin: return zip<double>(a, b, pmin);
    case Opcode::F64x2Pmax: return zip<double>(a, b, pmax);

    case Opcode::V128And: return V128{a.lo & b.lo, a.hi & b.hi};
    case Opcode::V128Andnot: return V128{a.lo & ~b.lo, a.hi & ~b.hi};
    case Opcode::V128Or: return V128{a.lo | b.lo, a.hi | b.hi};
    case Opcode::V128Xor: return V128{a.lo ^ b.lo, a.hi ^ b.hi};
    case Opcode::I8x16Swizzle: return swizzle(a, b);
    default: return detail::wrong_class();
  }
}

}  // namespace kiln::simd
