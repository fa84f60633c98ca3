// Numeric literal conversion. The grammar is checked here (digits with single `_` between
// them); decimal and hex floats are then rounded by strtof/strtod, which glibc rounds
// correctly straight to the target precision (no double rounding through double for f32).
#include "runtime/text/number_literals.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace kiln::text {
namespace {

int digit_value(char c, bool hex) {
  if (c >= '0' && c <= '9') return c - '0';
  if (!hex) return -1;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Consumes `digit ('_'? digit)*` at `pos`; false if there is none or a `_` is misplaced.
bool scan_digits(std::string_view s, size_t& pos, bool hex, std::string* out) {
  size_t start = pos;
  bool last_underscore = false;
  while (pos < s.size()) {
    char c = s[pos];
    if (c == '_') {
      if (pos == start || last_underscore) return false;
      last_underscore = true;
      ++pos;
      continue;
    }
    if (digit_value(c, hex) < 0) break;
    last_underscore = false;
    if (out) out->push_back(c);
    ++pos;
  }
  return pos > start && !last_underscore;
}

/// Unsigned magnitude of `num` or `0x hexnum`; Range if it exceeds 64 bits.
LiteralStatus parse_magnitude(std::string_view s, uint64_t& out) {
  bool hex = s.size() > 2 && s[0] == '0' && s[1] == 'x';
  size_t pos = hex ? 2 : 0;
  std::string digits;
  if (!scan_digits(s, pos, hex, &digits) || pos != s.size()) return LiteralStatus::Syntax;
  uint64_t value = 0;
  bool overflow = false;
  const uint64_t base = hex ? 16 : 10;
  for (char c : digits) {
    auto d = static_cast<uint64_t>(digit_value(c, hex));
    if (value > (UINT64_MAX - d) / base) overflow = true;
    value = value * base + d;
  }
  out = value;
  return overflow ? LiteralStatus::Range : LiteralStatus::Ok;
}

/// Checks the float grammar after the sign and builds the text strtod understands.
bool normalize_float(std::string_view s, std::string& out) {
  size_t pos = 0;
  bool hex = s.size() > 2 && s[0] == '0' && s[1] == 'x';
  if (hex) {
    out += "0x";
    pos = 2;
  }
  if (!scan_digits(s, pos, hex, &out)) return false;
  if (pos < s.size() && s[pos] == '.') {
    out.push_back('.');
    ++pos;
    if (pos < s.size() && digit_value(s[pos], hex) >= 0 && !scan_digits(s, pos, hex, &out))
      return false;
  }
  if (pos < s.size()) {
    char e = s[pos];
    bool is_exp = hex ? (e == 'p' || e == 'P') : (e == 'e' || e == 'E');
    if (!is_exp) return false;
    out.push_back(e);
    ++pos;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) out.push_back(s[pos++]);
    if (!scan_digits(s, pos, false, &out)) return false;
    // Huge exponents overflow strtod's parsing; clamp (the value is 0 or inf either way).
  }
  return pos == s.size();
}

template <typename Bits>
LiteralStatus parse_float(std::string_view text, Bits& out) {
  constexpr bool kIs32 = sizeof(Bits) == 4;
  constexpr unsigned kMantissaBits = kIs32 ? 23 : 52;
  constexpr Bits kSignBit = Bits{1} << (sizeof(Bits) * 8 - 1);
  constexpr Bits kExpMask = (kIs32 ? Bits{0xff} : Bits{0x7ff}) << kMantissaBits;
  bool negative = false;
  std::string_view s = text;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  Bits sign = negative ? kSignBit : 0;
  if (s == "inf") {
    out = sign | kExpMask;
    return LiteralStatus::Ok;
  }
  if (s == "nan") {
    out = sign | kExpMask | (Bits{1} << (kMantissaBits - 1));
    return LiteralStatus::Ok;
  }
  if (s.substr(0, 6) == "nan:0x") {
    uint64_t payload = 0;
    LiteralStatus st = parse_magnitude(s.substr(4), payload);
    if (st == LiteralStatus::Syntax) return st;
    if (st == LiteralStatus::Range || payload == 0 || payload >= (uint64_t{1} << kMantissaBits))
      return LiteralStatus::Range;
    out = sign | kExpMask | static_cast<Bits>(payload);
    return LiteralStatus::Ok;
  }
  std::string normalized = negative ? "-" : "";
  if (s.empty() || !normalize_float(s, normalized)) return LiteralStatus::Syntax;
  errno = 0;
  char* end = nullptr;
  if constexpr (kIs32) {
    float f = std::strtof(normalized.c_str(), &end);
    if (std::isinf(f)) return LiteralStatus::Range;
    std::memcpy(&out, &f, sizeof f);
  } else {
    double d = std::strtod(normalized.c_str(), &end);
    if (std::isinf(d)) return LiteralStatus::Range;
    std::memcpy(&out, &d, sizeof d);
  }
  if (end != normalized.c_str() + normalized.size()) return LiteralStatus::Syntax;
  return LiteralStatus::Ok;
}

}  // namespace

LiteralStatus parse_u64(std::string_view text, uint64_t& out) {
  if (text.empty() || text[0] == '+' || text[0] == '-') return LiteralStatus::Syntax;
  return parse_magnitude(text, out);
}

LiteralStatus parse_u32(std::string_view text, uint32_t& out) {
  uint64_t value = 0;
  LiteralStatus st = parse_u64(text, value);
  if (st != LiteralStatus::Ok) return st;
  if (value > UINT32_MAX) return LiteralStatus::Range;
  out = static_cast<uint32_t>(value);
  return LiteralStatus::Ok;
}

LiteralStatus parse_int(std::string_view text, unsigned bits, uint64_t& out) {
  if (text.empty()) return LiteralStatus::Syntax;
  char sign = 0;
  if (text[0] == '+' || text[0] == '-') {
    sign = text[0];
    text.remove_prefix(1);
  }
  uint64_t magnitude = 0;
  LiteralStatus st = parse_magnitude(text, magnitude);
  if (st != LiteralStatus::Ok) return st;
  const uint64_t mask = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  const uint64_t half = uint64_t{1} << (bits - 1);
  if (sign == 0) {
    if (magnitude > mask) return LiteralStatus::Range;
    out = magnitude;
  } else if (sign == '+') {
    if (magnitude >= half) return LiteralStatus::Range;
    out = magnitude;
  } else {
    if (magnitude > half) return LiteralStatus::Range;
    out = (0 - magnitude) & mask;
  }
  return LiteralStatus::Ok;
}

LiteralStatus parse_f32(std::string_view text, uint32_t& out) { return parse_float(text, out); }
LiteralStatus parse_f64(std::string_view text, uint64_t& out) { return parse_float(text, out); }

}  // namespace kiln::text
