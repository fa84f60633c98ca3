// Lookup tables from binary encodings and text keywords to opcodes, built once from
// opcodes.def.
#include "runtime/opcodes.h"

#include <array>
#include <string>
#include <unordered_map>

namespace kiln {
namespace {

constexpr uint16_t kNone = 0xffff;

struct EncodingTables {
  std::array<uint16_t, 256> plain;
  std::array<uint16_t, 256> misc;
  std::array<uint16_t, 256> simd;
  std::unordered_map<std::string_view, Opcode> by_text;

  EncodingTables() {
    plain.fill(kNone);
    misc.fill(kNone);
    simd.fill(kNone);
    for (unsigned i = 0; i < kOpcodeCount; ++i) {
      const OpcodeInfo& info = kOpcodeInfo[i];
      auto& table = info.prefix == 0 ? plain : info.prefix == kPrefixMisc ? misc : simd;
      table[info.code] = static_cast<uint16_t>(i);
      by_text.emplace(info.text, static_cast<Opcode>(i));  // keeps the first "select"
    }
  }
};

const EncodingTables& tables() {
  static const EncodingTables instance;
  return instance;
}

std::optional<Opcode> from_slot(uint16_t slot) {
  if (slot == kNone) return std::nullopt;
  return static_cast<Opcode>(slot);
}

}  // namespace

std::optional<Opcode> opcode_from_byte(uint8_t byte) { return from_slot(tables().plain[byte]); }

std::optional<Opcode> opcode_from_prefixed(uint8_t prefix, uint32_t code) {
  if (code > 0xff) return std::nullopt;
  if (prefix == kPrefixMisc) return from_slot(tables().misc[code]);
  if (prefix == kPrefixSimd) return from_slot(tables().simd[code]);
  return std::nullopt;
}

std::optional<Opcode> opcode_from_text(std::string_view text) {
  const auto& by_text = tables().by_text;
  auto it = by_text.find(text);
  if (it == by_text.end()) return std::nullopt;
  return it->second;
}

}  // namespace kiln
