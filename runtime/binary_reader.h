// BinaryReader: bounded reads of the WebAssembly binary format's primitives (bytes, LEB128
// integers, floats, names) with the spec suite's error messages. Every read checks the
// bound first; the first failure is kept in error() and every later read fails too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "runtime/result.h"

namespace kiln {

/// Reads from a window [pos, end) of a byte buffer. Offsets are absolute positions in the
/// whole buffer, so errors point into the module binary. The message for running out of
/// bytes is set per reader: "unexpected end" for the module, "unexpected end of section or
/// function" for a section or a function body that ends before the module does.
class BinaryReader {
 public:
  BinaryReader(std::span<const uint8_t> bytes, size_t pos, size_t end,
               std::string_view eof_message = "unexpected end")
      : data_(bytes.data()), pos_(pos), end_(end), eof_message_(eof_message) {}

  size_t pos() const { return pos_; }
  size_t end() const { return end_; }
  size_t remaining() const { return end_ - pos_; }
  bool at_end() const { return pos_ >= end_; }
  const uint8_t* data() const { return data_; }

  /// True while no read has failed.
  bool ok() const { return !failed_; }
  const Error& error() const { return error_; }

  /// Records the first failure; always returns false so callers can `return fail(...)`.
  /// Out of line and cold: error paths stay out of the callers' hot code.
  [[gnu::cold, gnu::noinline]] bool fail(ErrorKind kind, size_t offset, std::string_view message);
  bool malformed_at(size_t offset, std::string_view message) {
    return fail(ErrorKind::Malformed, offset, message);
  }
  bool invalid_at(size_t offset, std::string_view message) {
    return fail(ErrorKind::Invalid, offset, message);
  }
  bool fail_eof() { return malformed_at(end_, eof_message_); }

  // The common cases (a byte in bounds, a one-byte LEB) are inline; everything else,
  // including every error, goes through the out-of-line *_slow paths. After a failure
  // pos_ == end_, so the fast paths never succeed on a failed reader.
  bool read_u8(uint8_t& out) {
    if (pos_ < end_) [[likely]] {
      out = data_[pos_++];
      return true;
    }
    return read_u8_slow();
  }
  bool peek_u8(uint8_t& out) const;
  bool skip(size_t count);
  bool read_bytes(size_t count, const uint8_t*& out);

  /// LEB128, at most 5 bytes
  bool read_u32(uint32_t& out) {
    if (pos_ < end_ && data_[pos_] < 0x80) [[likely]] {
      out = data_[pos_++];
      return true;
    }
    return read_u32_slow(out);
  }
  /// signed LEB128, at most 5 bytes
  bool read_s32(int32_t& out) {
    if (pos_ < end_ && data_[pos_] < 0x80) [[likely]] {
      out = sign_extend_byte(data_[pos_++]);
      return true;
    }
    return read_s32_slow(out);
  }
  bool read_s33(int64_t& out);   ///< signed LEB128, at most 5 bytes (block types)
  /// signed LEB128, at most 10 bytes
  bool read_s64(int64_t& out) {
    if (pos_ < end_ && data_[pos_] < 0x80) [[likely]] {
      out = sign_extend_byte(data_[pos_++]);
      return true;
    }
    return read_s64_slow(out);
  }
  bool read_f32(uint32_t& bits);
  bool read_f64(uint64_t& bits);

  bool read_u1(uint8_t& out);    ///< LEB128 with one value bit (limits flags)
  /// A one-byte signed LEB (s7) such as a type constructor: a continuation bit is
  /// "integer representation too long".
  bool read_s7_byte(uint8_t& out);

  /// A vec length. The count is not trusted: callers never reserve more than
  /// min(count, remaining()) items and let the element reads run into the end.
  bool read_count(uint32_t& out) { return read_u32(out); }
  /// min(count, remaining()), what a caller may reserve for `count` items of >= 1 byte.
  size_t reservable(uint32_t count) const { return count < remaining() ? count : remaining(); }
  /// A name: a u32 length, then that many bytes of valid UTF-8.
  bool read_name(std::string& out);

 private:
  /// The value of a one-byte signed LEB (bit 6 is the sign).
  static int32_t sign_extend_byte(uint8_t byte) {
    return static_cast<int32_t>(byte) - static_cast<int32_t>((byte & 0x40) << 1);
  }
  [[gnu::noinline]] bool read_u8_slow();
  [[gnu::noinline]] bool read_u32_slow(uint32_t& out);
  [[gnu::noinline]] bool read_s32_slow(int32_t& out);
  [[gnu::noinline]] bool read_s64_slow(int64_t& out);
  template <unsigned Bits, bool Signed>
  bool read_leb(uint64_t& out);

  const uint8_t* data_;
  size_t pos_;
  size_t end_;
  std::string_view eof_message_;
  bool failed_ = false;
  Error error_;
};

/// True if `bytes` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

}  // namespace kiln
