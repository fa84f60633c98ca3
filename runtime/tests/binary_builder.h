// Helpers the decoder and validator tests use to write module binaries by hand.
#pragma once

#include <cstdint>
#include <vector>

namespace kiln::test {

using Bytes = std::vector<uint8_t>;

/// Appends `value` as unsigned LEB128.
inline void append_u32(Bytes& out, uint32_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value) byte |= 0x80;
    out.push_back(byte);
  } while (value);
}

/// A section: its id, its size, then `contents`.
inline Bytes section(uint8_t id, const Bytes& contents) {
  Bytes out{id};
  append_u32(out, static_cast<uint32_t>(contents.size()));
  out.insert(out.end(), contents.begin(), contents.end());
  return out;
}

}  // namespace kiln::test
