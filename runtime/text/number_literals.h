// Numeric literals of the text format (spec 6.3.1): integers with `_` separators, signs and
// range checks, and floats (decimal, hex, inf, nan, nan:0x payload) correctly rounded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiln::text {

/// Outcome of a literal conversion: ok, not a literal of that kind, or out of range.
enum class LiteralStatus : uint8_t { Ok, Syntax, Range };

/// An unsigned `u32` (no sign), as used for indices, limits, offsets and alignments.
LiteralStatus parse_u32(std::string_view text, uint32_t& out);
LiteralStatus parse_u64(std::string_view text, uint64_t& out);
/// An `iN` literal for N = 8, 16, 32 or 64: unsigned up to 2^N-1, or signed from -2^(N-1);
/// the result is the two's complement bit pattern in the low N bits.
LiteralStatus parse_int(std::string_view text, unsigned bits, uint64_t& out);
/// `f32` / `f64` literals (integers are accepted as floats), as bit patterns.
LiteralStatus parse_f32(std::string_view text, uint32_t& out);
LiteralStatus parse_f64(std::string_view text, uint64_t& out);

}  // namespace kiln::text
