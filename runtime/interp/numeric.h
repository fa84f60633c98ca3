// Scalar numeric semantics the interpreter's handlers share (spec 4.3.2-4.3.3): slot
// conversions, IEEE min/max with signed zeros and NaN, and float-to-integer truncation
// bounds. Everything here is portable C++ (x86-64 and AArch64 alike).
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace kiln::interp::num {

inline uint32_t u32(uint64_t slot) { return static_cast<uint32_t>(slot); }
inline int32_t s32(uint64_t slot) { return static_cast<int32_t>(static_cast<uint32_t>(slot)); }
inline float f32(uint64_t slot) { return std::bit_cast<float>(static_cast<uint32_t>(slot)); }
inline double f64(uint64_t slot) { return std::bit_cast<double>(slot); }
inline uint64_t slot(float f) { return std::bit_cast<uint32_t>(f); }
inline uint64_t slot(double d) { return std::bit_cast<uint64_t>(d); }

/// fmin/fmax (spec 4.3.3): NaN if either operand is NaN, -0 below +0.
template <typename F>
inline F fmin(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? a : b;
  return a < b ? a : b;
}
template <typename F>
inline F fmax(F a, F b) {
  if (std::isnan(a) || std::isnan(b)) return a + b;
  if (a == b) return std::signbit(a) ? b : a;
  return a > b ? a : b;
}

/// ceil/floor/trunc/nearest: libm hands a signalling NaN back unchanged; wasm wants it
/// quieted (an arithmetic NaN).
template <typename F, typename Fn>
inline F round(F a, Fn fn) {
  if (std::isnan(a)) return a + a;
  return fn(a);
}

inline uint32_t f32_abs(uint32_t b) { return b & 0x7fffffffu; }
inline uint32_t f32_neg(uint32_t b) { return b ^ 0x80000000u; }
inline uint32_t f32_copysign(uint32_t a, uint32_t b) { return (a & 0x7fffffffu) | (b & 0x80000000u); }
inline uint64_t f64_abs(uint64_t b) { return b & 0x7fffffffffffffffull; }
inline uint64_t f64_neg(uint64_t b) { return b ^ 0x8000000000000000ull; }
inline uint64_t f64_copysign(uint64_t a, uint64_t b) {
  return (a & 0x7fffffffffffffffull) | (b & 0x8000000000000000ull);
}

/// The open interval (lo, hi) of floats whose truncation fits the integer type `I`.
template <typename I, typename F>
struct TruncBounds;
template <> struct TruncBounds<int32_t, float> {
  static constexpr float lo = -2147483904.0f, hi = 2147483648.0f;
};
template <> struct TruncBounds<int32_t, double> {
  static constexpr double lo = -2147483649.0, hi = 2147483648.0;
};
template <> struct TruncBounds<uint32_t, float> {
  static constexpr float lo = -1.0f, hi = 4294967296.0f;
};
template <> struct TruncBounds<uint32_t, double> {
  static constexpr double lo = -1.0, hi = 4294967296.0;
};
template <> struct TruncBounds<int64_t, float> {
  static constexpr float lo = -9223373136366403584.0f, hi = 9223372036854775808.0f;
};
template <> struct TruncBounds<int64_t, double> {
  static constexpr double lo = -9223372036854777856.0, hi = 9223372036854775808.0;
};
template <> struct TruncBounds<uint64_t, float> {
  static constexpr float lo = -1.0f, hi = 18446744073709551616.0f;
};
template <> struct TruncBounds<uint64_t, double> {
  static constexpr double lo = -1.0, hi = 18446744073709551616.0;
};

/// trunc: 0 when it fits (out set), 1 for NaN ("invalid conversion"), 2 for overflow.
template <typename I, typename F>
inline int trunc(F x, I& out) {
  if (std::isnan(x)) return 1;
  if (!(x > TruncBounds<I, F>::lo && x < TruncBounds<I, F>::hi)) return 2;
  out = static_cast<I>(x);
  return 0;
}

/// trunc_sat: NaN to 0, out-of-range values clamped.
template <typename I, typename F>
inline I trunc_sat(F x) {
  if (std::isnan(x)) return 0;
  if (x <= TruncBounds<I, F>::lo) return std::numeric_limits<I>::min();
  if (x >= TruncBounds<I, F>::hi) return std::numeric_limits<I>::max();
  return static_cast<I>(x);
}

}  // namespace kiln::interp::num
