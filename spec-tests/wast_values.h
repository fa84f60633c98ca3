// Script values meet runtime values: the WAST runner's conversion of constant arguments
// into kiln::Value, the matching of results against assert_return's expectations (exact
// bits, NaN patterns, lane by lane for v128, references), and their rendering in messages.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "runtime/text/wast.h"
#include "runtime/value.h"

namespace kiln::spec {

/// The Ref standing for the script's `ref.extern N`: N + 1 as a pointer, so that
/// `ref.extern 0` is not null and the same N always gives the same Ref.
Ref extern_ref(uint32_t id);

/// A script constant as an argument; nullopt for what an argument cannot be (a non-null
/// funcref has no constant form in a script).
std::optional<Value> to_runtime_value(const wast::Value& value);

/// Whether `actual` is what `expected` allows: exact bits for numbers and vectors (f32 as
/// its 32 bits), the NaN patterns either sign, v128 lane by lane, null of the right type,
/// the same `ref.extern N`, any non-null funcref for `ref.func`.
bool matches(const Value& actual, const wast::Expected& expected);

/// "i32:42", "f32:0x7fc00000 (nan)", "v128:i32x4 0x00000001 ...", "ref.null func",
/// "ref.extern 3". A v128 is shown in 64-bit lanes when `lanes64`, else in 32-bit ones.
std::string describe(const Value& value, bool lanes64 = false);
std::string describe(const wast::Expected& expected);
/// Results separated by ", ", each v128 shown in the lanes its expectation uses (if any).
std::string describe(std::span<const Value> values, std::span<const wast::Expected> shapes = {});
std::string describe(std::span<const wast::Expected> expected);

}  // namespace kiln::spec
