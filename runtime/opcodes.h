// The Opcode enum and per-opcode facts, all expanded from opcodes.def; lookups by binary
// encoding and by text name.
#pragma once

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

/// The opcode a one-byte encoding names, if any (prefix bytes are not opcodes).
std::optional<Opcode> opcode_from_byte(uint8_t byte);
/// The opcode `code` names after `prefix` (kPrefixMisc or kPrefixSimd), if any.
std::optional<Opcode> opcode_from_prefixed(uint8_t prefix, uint32_t code);
/// The opcode a text keyword names, if any. "select" gives Opcode::Select.
std::optional<Opcode> opcode_from_text(std::string_view text);

}  // namespace kiln
