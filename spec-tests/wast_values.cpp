// Script values meet runtime values: arguments converted, results matched against the
// expectations of assert_return (bits, NaN patterns, lanes, references) and rendered for
// failure messages.
#include "spec-tests/wast_values.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace kiln::spec {
namespace {

using wast::Expected;

constexpr uint32_t kF32SignMask = 0x7fffffffu;
constexpr uint32_t kF32CanonicalNan = 0x7fc00000u;  // also the exponent + quiet bit mask
constexpr uint64_t kF64SignMask = 0x7fffffffffffffffull;
constexpr uint64_t kF64CanonicalNan = 0x7ff8000000000000ull;

V128 v128_from_bytes(const std::array<uint8_t, 16>& bytes) {
  V128 v;
  std::memcpy(&v.lo, bytes.data(), 8);
  std::memcpy(&v.hi, bytes.data() + 8, 8);
  return v;
}

/// A float (as `bits` of width 32 or 64) against one NaN pattern or exact bits.
bool float_matches(uint64_t bits, bool is32, Expected::Kind kind, uint64_t expected_bits) {
  switch (kind) {
    case Expected::Kind::NanCanonical:
      return is32 ? (bits & kF32SignMask) == kF32CanonicalNan
                  : (bits & kF64SignMask) == kF64CanonicalNan;
    case Expected::Kind::NanArithmetic:
      // Quiet bit set (and so a NaN, not an infinity): exponent all ones and the top
      // fraction bit, any payload below, either sign.
      return is32 ? (bits & kF32CanonicalNan) == kF32CanonicalNan
                  : (bits & kF64CanonicalNan) == kF64CanonicalNan;
    default:
      return bits == expected_bits;
  }
}

bool lanes_match(const V128& actual, const Expected& expected) {
  const bool is32 = expected.lane_type == ValType::F32;
  const size_t count = is32 ? 4 : 2;
  if (expected.lane_kinds.size() != count || expected.lane_bits.size() != count) return false;
  uint8_t bytes[16];
  std::memcpy(bytes, &actual.lo, 8);
  std::memcpy(bytes + 8, &actual.hi, 8);
  for (size_t i = 0; i < count; ++i) {
    uint64_t lane = 0;
    if (is32) {
      uint32_t l32;
      std::memcpy(&l32, bytes + 4 * i, 4);
      lane = l32;
    } else {
      std::memcpy(&lane, bytes + 8 * i, 8);
    }
    if (!float_matches(lane, is32, expected.lane_kinds[i], expected.lane_bits[i])) return false;
  }
  return true;
}

bool exact_matches(const Value& actual, const wast::Value& expected) {
  switch (expected.type) {
    case ValType::I32:
    case ValType::F32:
      return static_cast<uint32_t>(actual.bits) == static_cast<uint32_t>(expected.bits);
    case ValType::I64:
    case ValType::F64:
      return actual.bits == expected.bits;
    case ValType::V128:
      return actual.as_v128() == v128_from_bytes(expected.v128);
    case ValType::FuncRef:
      // A script can only write a null funcref as an exact expectation.
      return expected.is_null && actual.ref == nullptr;
    case ValType::ExternRef:
      return actual.ref == (expected.is_null ? nullptr : extern_ref(expected.extern_id));
  }
  return false;
}

std::string format(const char* pattern, auto... args) {
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, pattern, args...);
  return buffer;
}

std::string describe_f32(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  return format("f32:0x%08" PRIx32 " (%.9g)", bits, static_cast<double>(f));
}

std::string describe_f64(uint64_t bits) {
  double d;
  std::memcpy(&d, &bits, 8);
  return format("f64:0x%016" PRIx64 " (%.17g)", bits, d);
}

std::string describe_v128(const V128& v, bool lanes64) {
  if (lanes64) return format("v128:i64x2 0x%016" PRIx64 " 0x%016" PRIx64, v.lo, v.hi);
  return format("v128:i32x4 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32 " 0x%08" PRIx32,
                static_cast<uint32_t>(v.lo), static_cast<uint32_t>(v.lo >> 32),
                static_cast<uint32_t>(v.hi), static_cast<uint32_t>(v.hi >> 32));
}

const char* nan_name(Expected::Kind kind) {
  return kind == Expected::Kind::NanCanonical ? "nan:canonical" : "nan:arithmetic";
}

}  // namespace

Ref extern_ref(uint32_t id) {
  return reinterpret_cast<Ref>(static_cast<uintptr_t>(id) + 1);
}

std::optional<Value> to_runtime_value(const wast::Value& value) {
  switch (value.type) {
    case ValType::I32: return Value::i32(static_cast<uint32_t>(value.bits));
    case ValType::I64: return Value::i64(value.bits);
    case ValType::F32: return Value::f32_bits(static_cast<uint32_t>(value.bits));
    case ValType::F64: return Value::f64_bits(value.bits);
    case ValType::V128: return Value::v128(v128_from_bytes(value.v128));
    case ValType::FuncRef:
      if (!value.is_null) return std::nullopt;
      return Value::funcref(nullptr);
    case ValType::ExternRef:
      return Value::externref(value.is_null ? nullptr : extern_ref(value.extern_id));
  }
  return std::nullopt;
}

bool matches(const Value& actual, const Expected& expected) {
  if (actual.type != expected.value.type) return false;
  switch (expected.kind) {
    case Expected::Kind::Exact: return exact_matches(actual, expected.value);
    case Expected::Kind::NanCanonical:
    case Expected::Kind::NanArithmetic:
      return float_matches(actual.type == ValType::F32 ? static_cast<uint32_t>(actual.bits)
                                                       : actual.bits,
                           actual.type == ValType::F32, expected.kind, 0);
    case Expected::Kind::RefFunc:
    case Expected::Kind::RefExtern:
      return actual.ref != nullptr;
    case Expected::Kind::V128Lanes: return lanes_match(actual.as_v128(), expected);
  }
  return false;
}

std::string describe(const Value& value, bool lanes64) {
  switch (value.type) {
    case ValType::I32: {
      const auto bits = static_cast<uint32_t>(value.bits);
      return format("i32:%" PRId32 " (0x%" PRIx32 ")", static_cast<int32_t>(bits), bits);
    }
    case ValType::I64:
      return format("i64:%" PRId64 " (0x%" PRIx64 ")", static_cast<int64_t>(value.bits),
                    value.bits);
    case ValType::F32: return describe_f32(static_cast<uint32_t>(value.bits));
    case ValType::F64: return describe_f64(value.bits);
    case ValType::V128: return describe_v128(value.as_v128(), lanes64);
    case ValType::FuncRef: return value.ref ? "ref.func" : "ref.null func";
    case ValType::ExternRef:
      if (!value.ref) return "ref.null extern";
      return format("ref.extern %" PRIuPTR, reinterpret_cast<uintptr_t>(value.ref) - 1);
  }
  return "?";
}

std::string describe(const Expected& expected) {
  const bool is32 = expected.value.type == ValType::F32;
  switch (expected.kind) {
    case Expected::Kind::Exact: {
      auto value = to_runtime_value(expected.value);
      return value ? describe(*value) : "ref.func";
    }
    case Expected::Kind::NanCanonical:
    case Expected::Kind::NanArithmetic:
      return std::string(is32 ? "f32:" : "f64:") + nan_name(expected.kind);
    case Expected::Kind::RefFunc: return "ref.func (any)";
    case Expected::Kind::RefExtern: return "ref.extern (any)";
    case Expected::Kind::V128Lanes: {
      const bool lanes32 = expected.lane_type == ValType::F32;
      std::string text = lanes32 ? "v128:f32x4" : "v128:f64x2";
      for (size_t i = 0; i < expected.lane_kinds.size() && i < expected.lane_bits.size(); ++i) {
        if (expected.lane_kinds[i] == Expected::Kind::Exact) {
          text += lanes32 ? format(" 0x%08" PRIx64, expected.lane_bits[i])
                          : format(" 0x%016" PRIx64, expected.lane_bits[i]);
        } else {
          text += std::string(" ") + nan_name(expected.lane_kinds[i]);
        }
      }
      return text;
    }
  }
  return "?";
}

std::string describe(std::span<const Value> values, std::span<const Expected> shapes) {
  if (values.empty()) return "nothing";
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) {
    const bool lanes64 = i < shapes.size() && shapes[i].kind == Expected::Kind::V128Lanes &&
                         shapes[i].lane_type == ValType::F64;
    if (i > 0) text += ", ";
    text += describe(values[i], lanes64);
  }
  return text;
}

std::string describe(std::span<const Expected> expected) {
  if (expected.empty()) return "nothing";
  std::string text;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (i > 0) text += ", ";
    text += describe(expected[i]);
  }
  return text;
}

}  // namespace kiln::spec
