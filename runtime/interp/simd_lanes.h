// Internal to the SIMD semantics (simd*.cpp): a V128 viewed as an array of lanes and the
// lane-wise helpers the instruction families are written with. Lanes are read with shifts
// from V128.lo/hi, so lane 0 is the lowest bytes whatever the host's byte order.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "runtime/value.h"

namespace kiln::simd::detail {

/// The unsigned integer as wide as a lane type (the lane's bits).
template <typename T>
using Bits = std::conditional_t<
    sizeof(T) == 1, uint8_t,
    std::conditional_t<sizeof(T) == 2, uint16_t,
                       std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;

template <typename T>
inline constexpr size_t kLaneCount = 16 / sizeof(T);

template <typename T>
using Lanes = std::array<T, kLaneCount<T>>;

/// The lanes of `v` as T (integers by value, floats by bits, so NaN payloads survive).
template <typename T>
Lanes<T> lanes(V128 v) {
  constexpr size_t width = sizeof(T) * 8;
  constexpr size_t per_half = 64 / width;
  Lanes<T> out;
  for (size_t i = 0; i < kLaneCount<T>; ++i) {
    const uint64_t half = i < per_half ? v.lo : v.hi;
    out[i] = std::bit_cast<T>(static_cast<Bits<T>>(half >> (i % per_half * width)));
  }
  return out;
}

/// The inverse of lanes().
template <typename T>
V128 pack(const Lanes<T>& in) {
  constexpr size_t width = sizeof(T) * 8;
  constexpr size_t per_half = 64 / width;
  V128 v;
  for (size_t i = 0; i < kLaneCount<T>; ++i) {
    const uint64_t bits = std::bit_cast<Bits<T>>(in[i]);
    (i < per_half ? v.lo : v.hi) |= bits << (i % per_half * width);
  }
  return v;
}

/// Applies `f` to every lane of `a` (the result is converted back to T, wrapping).
template <typename T, typename F>
V128 map(V128 a, F f) {
  Lanes<T> x = lanes<T>(a);
  for (T& lane : x) lane = static_cast<T>(f(lane));
  return pack<T>(x);
}

/// Applies `f` to every pair of lanes of `a` and `b`.
template <typename T, typename F>
V128 zip(V128 a, V128 b, F f) {
  Lanes<T> x = lanes<T>(a);
  const Lanes<T> y = lanes<T>(b);
  for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<T>(f(x[i], y[i]));
  return pack<T>(x);
}

/// A lane-wise comparison: all ones where `pred` holds, zero elsewhere.
template <typename T, typename P>
V128 compare(V128 a, V128 b, P pred) {
  const Lanes<T> x = lanes<T>(a);
  const Lanes<T> y = lanes<T>(b);
  Lanes<Bits<T>> r;
  for (size_t i = 0; i < r.size(); ++i) {
    r[i] = pred(x[i], y[i]) ? std::numeric_limits<Bits<T>>::max() : Bits<T>{0};
  }
  return pack<Bits<T>>(r);
}

/// `v` clamped to the range of the integer type T.
template <typename T>
constexpr T saturate(int64_t v) {
  constexpr int64_t lo = std::numeric_limits<T>::min();
  constexpr int64_t hi = static_cast<int64_t>(std::numeric_limits<T>::max());
  return static_cast<T>(v < lo ? lo : v > hi ? hi : v);
}

/// What every function answers for an opcode outside its signature class. That is a bug in
/// the caller (the interpreter dispatches by the class in opcodes.def); it is answered with
/// zero rather than an abort so that a bad dispatch cannot take down the embedding process.
constexpr V128 wrong_class() { return V128{}; }

}  // namespace kiln::simd::detail
