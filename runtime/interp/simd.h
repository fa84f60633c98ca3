// The semantics of SIMD128 instructions (spec 4.3.x on vectors), as plain functions of lane
// values; the interpreter's dispatch calls them by the instruction's signature class in
// opcodes.def. Portable C++: no intrinsics, so the same code runs on x86-64 and AArch64.
#pragma once

#include <cstdint>

#include "runtime/opcodes.h"
#include "runtime/value.h"

namespace kiln::simd {

/// "v:v" instructions (abs, neg, not, popcnt, sqrt, ceil..nearest, extend_*, convert_*,
/// trunc_sat_*, demote/promote, extadd_pairwise_*).
V128 unary(Opcode op, V128 a);
/// "vv:v" instructions (arithmetic, comparisons, bitwise, min/max, narrow, extmul, dot,
/// swizzle, q15mulr, avgr, pmin/pmax).
V128 binary(Opcode op, V128 a, V128 b);
/// "vvv:v": v128.bitselect.
V128 ternary(Opcode op, V128 a, V128 b, V128 c);
/// "vi:v" shifts (shl, shr_s, shr_u): the count is taken modulo the lane width.
V128 shift(Opcode op, V128 a, uint32_t count);
/// "v:i": any_true, all_true, bitmask.
uint32_t test(Opcode op, V128 a);
/// "i:v"/"l:v"/"f:v"/"d:v" splats; `bits` holds the scalar (f32 as its bits).
V128 splat(Opcode op, uint64_t bits);
/// extract_lane: the lane's value as scalar bits (i8/i16 lanes sign- or zero-extended to
/// 32 bits as the opcode says; f32 as its bits).
uint64_t extract_lane(Opcode op, V128 a, uint8_t lane);
/// replace_lane with scalar bits.
V128 replace_lane(Opcode op, V128 a, uint8_t lane, uint64_t bits);
/// i8x16.shuffle.
V128 shuffle(V128 a, V128 b, const uint8_t lanes[16]);
/// The memory forms that are not plain 16-byte loads: load8x8_s ... load32x2_u (8 bytes
/// at `p`), load*_splat (1/2/4/8 bytes), load32_zero / load64_zero. `p` is in bounds.
V128 load(Opcode op, const uint8_t* p);

}  // namespace kiln::simd
