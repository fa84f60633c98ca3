// Runtime values (spec 4.2.1): numbers, vectors and references, as the host API, the linker
// and the runner pass them. The interpreter keeps its own untyped slots internally.
#pragma once

#include <cstdint>
#include <cstring>

#include "runtime/value_type.h"

namespace kiln {

struct FuncInstance;

/// 128 bits, lane 0 in the lowest bytes (little-endian, as wasm memory).
struct V128 {
  uint64_t lo = 0;
  uint64_t hi = 0;
  friend bool operator==(const V128&, const V128&) = default;
};

/// A reference: null, a function (FuncInstance*), or an opaque host value (externref).
using Ref = void*;

/// A typed value. Floats are kept as their bits, so NaN payloads survive.
struct Value {
  ValType type = ValType::I32;
  uint64_t bits = 0;  ///< i32 (zero-extended), i64, f32 bits, f64 bits, low half of v128
  uint64_t high = 0;  ///< high half of v128
  Ref ref = nullptr;  ///< funcref / externref

  static Value i32(uint32_t v) { return {ValType::I32, v, 0, nullptr}; }
  static Value i64(uint64_t v) { return {ValType::I64, v, 0, nullptr}; }
  static Value f32_bits(uint32_t v) { return {ValType::F32, v, 0, nullptr}; }
  static Value f64_bits(uint64_t v) { return {ValType::F64, v, 0, nullptr}; }
  static Value f32(float f) {
    uint32_t b;
    std::memcpy(&b, &f, 4);
    return f32_bits(b);
  }
  static Value f64(double d) {
    uint64_t b;
    std::memcpy(&b, &d, 8);
    return f64_bits(b);
  }
  static Value v128(V128 v) { return {ValType::V128, v.lo, v.hi, nullptr}; }
  static Value funcref(FuncInstance* f) { return {ValType::FuncRef, 0, 0, f}; }
  static Value externref(Ref r) { return {ValType::ExternRef, 0, 0, r}; }

  uint32_t as_i32() const { return static_cast<uint32_t>(bits); }
  uint64_t as_i64() const { return bits; }
  V128 as_v128() const { return {bits, high}; }

  /// The default value of a type (spec 4.2.1): zero, or null.
  static Value zero(ValType type) { return {type, 0, 0, nullptr}; }
};

}  // namespace kiln
