// The Opcode enum and per-opcode facts, all expanded from opcodes.def; lookups by binary
// encoding and by text name.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace kiln {

/// What follows an opcode in the binary format.
enum class ImmediateKind : uint8_t {
  None,
  BlockType,     ///< blocktype: 0x40, a value type, or a type index (s33)
  Label,         ///< labelidx
  LabelTable,    ///< vec(labelidx) labelidx
  Func,          ///< funcidx
  CallIndirect,  ///< typeidx tableidx
  SelectTypes,   ///< vec(valtype)
  Local,         ///< localidx
  Global,        ///< globalidx
  Table,         ///< tableidx
  Memory,        ///< memidx (a 0x00 byte in Wasm 2.0)
  MemArg,        ///< align offset
  MemArgLane,    ///< align offset laneidx
  Lane,          ///< laneidx (one byte)
  Shuffle,       ///< 16 lane indices (bytes)
  I32,           ///< i32 (signed LEB)
  I64,           ///< i64 (signed LEB)
  F32,           ///< 4 bytes little-endian
  F64,           ///< 8 bytes little-endian
  V128,          ///< 16 bytes
  HeapType,      ///< reftype byte (funcref/externref)
  Data,          ///< dataidx
  Elem,          ///< elemidx
  MemoryInit,    ///< dataidx memidx
  MemoryCopy,    ///< memidx memidx
  TableInit,     ///< elemidx tableidx
  TableCopy,     ///< tableidx tableidx
};

enum class Opcode : uint16_t {
#define KILN_OP(name, prefix, code, text, imm, sig, arg) name,
#include "runtime/opcodes.def"
#undef KILN_OP
};

inline constexpr unsigned kOpcodeCount = 0
#define KILN_OP(name, prefix, code, text, imm, sig, arg) +1
#include "runtime/opcodes.def"
#undef KILN_OP
    ;

inline constexpr uint8_t kPrefixMisc = 0xfc;
inline constexpr uint8_t kPrefixSimd = 0xfd;

struct OpcodeInfo {
  uint8_t prefix;         ///< 0, kPrefixMisc or kPrefixSimd
  uint32_t code;          ///< byte, or the LEB u32 after the prefix
  std::string_view text;  ///< text-format keyword
  ImmediateKind immediate;
  std::string_view signature;  ///< "params:results" (i l f d v), or "*" when validated by hand
  uint8_t arg;                 ///< access size in bytes (memory ops) or lane count (lane ops)
};

inline constexpr OpcodeInfo kOpcodeInfo[] = {
#define KILN_OP(name, prefix, code, text, imm, sig, arg) \
  {prefix, code, text, ImmediateKind::imm, sig, arg},
#include "runtime/opcodes.def"
#undef KILN_OP
};

inline constexpr const OpcodeInfo& opcode_info(Opcode op) {
  return kOpcodeInfo[static_cast<unsigned>(op)];
}

namespace detail {

inline constexpr uint16_t kNoOpcode = 0xffff;

/// Binary encoding -> opcode, one table per prefix, built from kOpcodeInfo at compile time.
struct EncodingTables {
  std::array<uint16_t, 256> plain;
  std::array<uint16_t, 256> misc;
  std::array<uint16_t, 256> simd;
};

constexpr EncodingTables make_encoding_tables() {
  EncodingTables t{};
  t.plain.fill(kNoOpcode);
  t.misc.fill(kNoOpcode);
  t.simd.fill(kNoOpcode);
  for (unsigned i = 0; i < kOpcodeCount; ++i) {
    const OpcodeInfo& info = kOpcodeInfo[i];
    auto& table = info.prefix == 0 ? t.plain : info.prefix == kPrefixMisc ? t.misc : t.simd;
    table[info.code] = static_cast<uint16_t>(i);  // every code fits a byte (compile error if not)
  }
  return t;
}

inline constexpr EncodingTables kEncodingTables = make_encoding_tables();

constexpr std::optional<Opcode> from_slot(uint16_t slot) {
  if (slot == kNoOpcode) return std::nullopt;
  return static_cast<Opcode>(slot);
}

}  // namespace detail

/// The opcode a one-byte encoding names, if any (prefix bytes are not opcodes).
constexpr std::optional<Opcode> opcode_from_byte(uint8_t byte) {
  return detail::from_slot(detail::kEncodingTables.plain[byte]);
}
/// The opcode `code` names after `prefix` (kPrefixMisc or kPrefixSimd), if any.
constexpr std::optional<Opcode> opcode_from_prefixed(uint8_t prefix, uint32_t code) {
  if (code > 0xff) return std::nullopt;
  if (prefix == kPrefixMisc) return detail::from_slot(detail::kEncodingTables.misc[code]);
  if (prefix == kPrefixSimd) return detail::from_slot(detail::kEncodingTables.simd[code]);
  return std::nullopt;
}
/// The opcode a text keyword names, if any. "select" gives Opcode::Select.
std::optional<Opcode> opcode_from_text(std::string_view text);

}  // namespace kiln
