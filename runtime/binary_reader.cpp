// BinaryReader: LEB128 decoding with the spec's length and range rules, bounded reads, and
// UTF-8 checking of names.
#include "runtime/binary_reader.h"

#include <cstring>

namespace kiln {

bool BinaryReader::fail(ErrorKind kind, size_t offset, std::string_view message) {
  if (!failed_) {
    failed_ = true;
    error_ = Error{kind, offset, std::string(message)};
  }
  pos_ = end_;  // no further reads succeed
  return false;
}

bool BinaryReader::read_u8_slow() { return failed_ ? false : fail_eof(); }

bool BinaryReader::peek_u8(uint8_t& out) const {
  if (failed_ || pos_ >= end_) return false;
  out = data_[pos_];
  return true;
}

bool BinaryReader::skip(size_t count) {
  if (failed_) return false;
  if (count > remaining()) return fail_eof();
  pos_ += count;
  return true;
}

bool BinaryReader::read_bytes(size_t count, const uint8_t*& out) {
  if (failed_) return false;
  if (count > remaining()) return fail_eof();
  out = data_ + pos_;
  pos_ += count;
  return true;
}

// Spec 5.2.2: an N-bit LEB128 uses at most ceil(N/7) bytes; in the last byte the bits
// beyond N must be zero (unsigned) or copies of the sign bit (signed).
template <unsigned Bits, bool Signed>
bool BinaryReader::read_leb(uint64_t& out) {
  constexpr unsigned bits = Bits;
  constexpr bool is_signed = Signed;
  constexpr unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  for (unsigned i = 0; i < max_bytes; ++i) {
    size_t at = pos_;
    uint8_t byte;
    if (!read_u8(byte)) return false;
    if (i == max_bytes - 1) {
      if (byte & 0x80) return malformed_at(at, "integer representation too long");
      unsigned used = bits - shift;  // value bits in this byte, 1..7
      if (is_signed) {
        uint8_t top = static_cast<uint8_t>((byte & 0x7f) >> (used - 1));
        uint8_t all = static_cast<uint8_t>(0x7f >> (used - 1));
        if (top != 0 && top != all) return malformed_at(at, "integer too large");
      } else if (((byte & 0x7f) >> used) != 0) {
        return malformed_at(at, "integer too large");
      }
    }
    result |= static_cast<uint64_t>(byte & 0x7f) << shift;
    shift += 7;
    if (!(byte & 0x80)) {
      if (is_signed && shift < 64 && (byte & 0x40)) result |= ~uint64_t{0} << shift;
      out = result;
      return true;
    }
  }
  return false;  // unreachable: the last byte either ends or fails above
}

bool BinaryReader::read_u32_slow(uint32_t& out) {
  uint64_t v;
  if (!read_leb<32, false>(v)) return false;
  out = static_cast<uint32_t>(v);
  return true;
}

bool BinaryReader::read_s32_slow(int32_t& out) {
  uint64_t v;
  if (!read_leb<32, true>(v)) return false;
  out = static_cast<int32_t>(static_cast<uint32_t>(v));
  return true;
}

bool BinaryReader::read_s33(int64_t& out) {
  uint64_t v;
  if (!read_leb<33, true>(v)) return false;
  out = static_cast<int64_t>(v);
  return true;
}

bool BinaryReader::read_s64_slow(int64_t& out) {
  uint64_t v;
  if (!read_leb<64, true>(v)) return false;
  out = static_cast<int64_t>(v);
  return true;
}

bool BinaryReader::read_f32(uint32_t& bits) {
  const uint8_t* p;
  if (!read_bytes(4, p)) return false;
  std::memcpy(&bits, p, 4);  // little-endian hosts only (x86-64, AArch64)
  return true;
}

bool BinaryReader::read_f64(uint64_t& bits) {
  const uint8_t* p;
  if (!read_bytes(8, p)) return false;
  std::memcpy(&bits, p, 8);
  return true;
}

bool BinaryReader::read_u1(uint8_t& out) {
  uint64_t v;
  if (!read_leb<1, false>(v)) return false;
  out = static_cast<uint8_t>(v);
  return true;
}

bool BinaryReader::read_s7_byte(uint8_t& out) {
  size_t at = pos_;
  if (!read_u8(out)) return false;
  if (out & 0x80) return malformed_at(at, "integer representation too long");
  return true;
}

bool BinaryReader::read_name(std::string& out) {
  uint32_t length;
  size_t at = pos_;
  if (!read_u32(length)) return false;
  if (length > remaining()) return malformed_at(at, "length out of bounds");
  const uint8_t* p;
  if (!read_bytes(length, p)) return false;
  std::string_view view(reinterpret_cast<const char*>(p), length);
  if (!is_valid_utf8(view)) return malformed_at(at, "malformed UTF-8 encoding");
  out.assign(view);
  return true;
}

bool is_valid_utf8(std::string_view bytes) {
  size_t i = 0;
  const size_t n = bytes.size();
  while (i < n) {
    uint8_t c = static_cast<uint8_t>(bytes[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    unsigned extra;
    uint32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      extra = 1;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      extra = 2;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i <= extra) return false;
    for (unsigned k = 1; k <= extra; ++k) {
      uint8_t cc = static_cast<uint8_t>(bytes[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (extra == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) return false;
    if (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) return false;
    i += extra + 1;
  }
  return true;
}

}  // namespace kiln
