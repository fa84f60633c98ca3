// SIMD128 semantics other than the unary and binary operators: bitselect, shifts, the
// vector tests, splat / extract_lane / replace_lane, shuffle, and the widening, splatting
// and zero-filling loads. The unary operators are in simd_unary.cpp, the binary ones in
// simd_binary.cpp; every function answers zero for an opcode outside its class.
#include "runtime/interp/simd.h"

#include "runtime/interp/simd_lanes.h"

namespace kiln::simd {

using detail::Lanes;
using detail::lanes;
using detail::pack;
using detail::wrong_class;

namespace {

/// The `n` bytes at `p` as a little-endian integer.
uint64_t read_le(const uint8_t* p, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) v |= uint64_t{p[i]} << (8 * i);
  return v;
}

/// Shifts every lane of `a`: the count is taken modulo the lane width (spec 4.3.2, ishl /
/// ishr_s / ishr_u). T's signedness picks arithmetic or logical right shifts.
template <typename T>
V128 shift_left(V128 a, uint32_t count) {
  const unsigned k = count % (sizeof(T) * 8);
  return detail::map<T>(a, [k](T x) { return x << k; });
}
template <typename T>
V128 shift_right(V128 a, uint32_t count) {
  const unsigned k = count % (sizeof(T) * 8);
  return detail::map<T>(a, [k](T x) { return x >> k; });
}

/// 1 if no lane of `a` is zero.
template <typename T>
uint32_t all_true(V128 a) {
  for (T lane : lanes<T>(a)) {
    if (lane == 0) return 0;
  }
  return 1;
}

/// The top bit of every lane, lane 0 in bit 0.
template <typename T>
uint32_t bitmask(V128 a) {
  const Lanes<T> x = lanes<T>(a);
  uint32_t mask = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] < 0) mask |= 1u << i;
  }
  return mask;
}

/// Every lane holds the low bits of `bits`.
template <typename T>
V128 splat_lanes(uint64_t bits) {
  Lanes<T> x;
  x.fill(static_cast<T>(bits));
  return pack<T>(x);
}

/// Lane `lane` of `a` (taken modulo the lane count; validation keeps it in range).
template <typename T>
T lane_of(V128 a, uint8_t lane) {
  return lanes<T>(a)[lane % detail::kLaneCount<T>];
}

template <typename T>
V128 with_lane(V128 a, uint8_t lane, uint64_t bits) {
  Lanes<T> x = lanes<T>(a);
  x[lane % detail::kLaneCount<T>] = static_cast<T>(bits);
  return pack<T>(x);
}

/// load8x8_s ... load32x2_u: the 8 bytes at `p` as lanes of `Narrow`, each extended to `Wide`.
template <typename Narrow, typename Wide>
V128 load_extend(const uint8_t* p) {
  const Lanes<Narrow> narrow = lanes<Narrow>(V128{read_le(p, 8), 0});
  Lanes<Wide> wide;
  for (size_t i = 0; i < wide.size(); ++i) wide[i] = narrow[i];
  return pack<Wide>(wide);
}

}  // namespace

V128 ternary(Opcode op, V128 a, V128 b, V128 c) {
  if (op != Opcode::V128Bitselect) return wrong_class();
  return V128{(a.lo & c.lo) | (b.lo & ~c.lo), (a.hi & c.hi) | (b.hi & ~c.hi)};
}

V128 shift(Opcode op, V128 a, uint32_t count) {
  switch (op) {
    case Opcode::I8x16Shl: return shift_left<uint8_t>(a, count);
    case Opcode::I8x16ShrS: return shift_right<int8_t>(a, count);
    case Opcode::I8x16ShrU: return shift_right<uint8_t>(a, count);
    case Opcode::I16x8Shl: return shift_left<uint16_t>(a, count);
    case Opcode::I16x8ShrS: return shift_right<int16_t>(a, count);
    case Opcode::I16x8ShrU: return shift_right<uint16_t>(a, count);
    case Opcode::I32x4Shl: return shift_left<uint32_t>(a, count);
    case Opcode::I32x4ShrS: return shift_right<int32_t>(a, count);
    case Opcode::I32x4ShrU: return shift_right<uint32_t>(a, count);
    case Opcode::I64x2Shl: return shift_left<uint64_t>(a, count);
    case Opcode::I64x2ShrS: return shift_right<int64_t>(a, count);
    case Opcode::I64x2ShrU: return shift_right<uint64_t>(a, count);
    default: return wrong_class();
  }
}

uint32_t test(Opcode op, V128 a) {
  switch (op) {
    case Opcode::V128AnyTrue: return (a.lo | a.hi) != 0 ? 1 : 0;
    case Opcode::I8x16AllTrue: return all_true<uint8_t>(a);
    case Opcode::I16x8AllTrue: return all_true<uint16_t>(a);
    case Opcode::I32x4AllTrue: return all_true<uint32_t>(a);
    case Opcode::I64x2AllTrue: return all_true<uint64_t>(a);
    case Opcode::I8x16Bitmask: return bitmask<int8_t>(a);
    case Opcode::I16x8Bitmask: return bitmask<int16_t>(a);
    case Opcode::I32x4Bitmask: return bitmask<int32_t>(a);
    case Opcode::I64x2Bitmask: return bitmask<int64_t>(a);
    default: return 0;  // a caller bug, as wrong_class()
  }
}

V128 splat(Opcode op, uint64_t bits) {
  switch (op) {
    case Opcode::I8x16Splat: return splat_lanes<uint8_t>(bits);
    case Opcode::I16x8Splat: return splat_lanes<uint16_t>(bits);
    case Opcode::I32x4Splat:
    case Opcode::F32x4Splat: return splat_lanes<uint32_t>(bits);
    case Opcode::I64x2Splat:
    case Opcode::F64x2Splat: return splat_lanes<uint64_t>(bits);
    default: return wrong_class();
  }
}

uint64_t extract_lane(Opcode op, V128 a, uint8_t lane) {
  switch (op) {
    case Opcode::I8x16ExtractLaneS:
      return static_cast<uint32_t>(int32_t{lane_of<int8_t>(a, lane)});
    case Opcode::I8x16ExtractLaneU: return lane_of<uint8_t>(a, lane);
    case Opcode::I16x8ExtractLaneS:
      return static_cast<uint32_t>(int32_t{lane_of<int16_t>(a, lane)});
    case Opcode::I16x8ExtractLaneU: return lane_of<uint16_t>(a, lane);
    case Opcode::I32x4ExtractLane:
    case Opcode::F32x4ExtractLane: return lane_of<uint32_t>(a, lane);
    case Opcode::I64x2ExtractLane:
    case Opcode::F64x2ExtractLane: return lane_of<uint64_t>(a, lane);
    default: return 0;  // a caller bug, as wrong_class()
  }
}

V128 replace_lane(Opcode op, V128 a, uint8_t lane, uint64_t bits) {
  switch (op) {
    case Opcode::I8x16ReplaceLane: return with_lane<uint8_t>(a, lane, bits);
    case Opcode::I16x8ReplaceLane: return with_lane<uint16_t>(a, lane, bits);
    case Opcode::I32x4ReplaceLane:
    case Opcode::F32x4ReplaceLane: return with_lane<uint32_t>(a, lane, bits);
    case Opcode::I64x2ReplaceLane:
    case Opcode::F64x2ReplaceLane: return with_lane<uint64_t>(a, lane, bits);
    default: return wrong_class();
  }
}

V128 shuffle(V128 a, V128 b, const uint8_t lane_indices[16]) {
  const Lanes<uint8_t> x = lanes<uint8_t>(a);
  const Lanes<uint8_t> y = lanes<uint8_t>(b);
  Lanes<uint8_t> r;
  for (size_t i = 0; i < r.size(); ++i) {
    const unsigned k = lane_indices[i] % 32;  // validation keeps indices below 32
    r[i] = k < 16 ? x[k] : y[k - 16];
  }
  return pack<uint8_t>(r);
}

V128 load(Opcode op, const uint8_t* p) {
  switch (op) {
    case Opcode::V128Load: return V128{read_le(p, 8), read_le(p + 8, 8)};
    case Opcode::V128Load8x8S: return load_extend<int8_t, int16_t>(p);
    case Opcode::V128Load8x8U: return load_extend<uint8_t, uint16_t>(p);
    case Opcode::V128Load16x4S: return load_extend<int16_t, int32_t>(p);
    case Opcode::V128Load16x4U: return load_extend<uint16_t, uint32_t>(p);
    case Opcode::V128Load32x2S: return load_extend<int32_t, int64_t>(p);
    case Opcode::V128Load32x2U: return load_extend<uint32_t, uint64_t>(p);
    case Opcode::V128Load8Splat: return splat_lanes<uint8_t>(read_le(p, 1));
    case Opcode::V128Load16Splat: return splat_lanes<uint16_t>(read_le(p, 2));
    case Opcode::V128Load32Splat: return splat_lanes<uint32_t>(read_le(p, 4));
    case Opcode::V128Load64Splat: return splat_lanes<uint64_t>(read_le(p, 8));
    case Opcode::V128Load32Zero: return V128{read_le(p, 4), 0};
    case Opcode::V128Load64Zero: return V128{read_le(p, 8), 0};
    default: return wrong_class();
  }
}

}  // namespace kiln::simd
