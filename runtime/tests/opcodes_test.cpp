// Checks the opcode table's own consistency: unique encodings and names, lookups that
// round-trip, well-formed signatures, and the instruction count of Wasm 2.0.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

#include "runtime/opcodes.h"

namespace kiln {
namespace {

TEST(Opcodes, TableHoldsEveryWasm2Instruction) {
  // One-byte: MVP, sign-extension, reference types (typed select, table.get/set, ref.*).
  size_t plain = 0, misc = 0, simd = 0;
  for (const OpcodeInfo& info : kOpcodeInfo) {
    (info.prefix == 0 ? plain : info.prefix == kPrefixMisc ? misc : simd)++;
  }
  EXPECT_EQ(misc, 18u);   // 8 trunc_sat + 10 bulk memory / table instructions
  EXPECT_EQ(simd, 236u);  // all of SIMD128
  EXPECT_EQ(plain + misc + simd, size_t{kOpcodeCount});
  EXPECT_EQ(plain, 183u);
}

TEST(Opcodes, EncodingsAreUniqueAndRoundTrip) {
  std::set<std::pair<uint8_t, uint32_t>> seen;
  for (unsigned i = 0; i < kOpcodeCount; ++i) {
    const OpcodeInfo& info = kOpcodeInfo[i];
    EXPECT_TRUE(seen.emplace(info.prefix, info.code).second) << info.text;
    const auto found = info.prefix == 0 ? opcode_from_byte(static_cast<uint8_t>(info.code))
                                        : opcode_from_prefixed(info.prefix, info.code);
    ASSERT_TRUE(found.has_value()) << info.text;
    EXPECT_EQ(static_cast<unsigned>(*found), i) << info.text;
  }
  EXPECT_FALSE(opcode_from_byte(0x06).has_value());
  EXPECT_FALSE(opcode_from_byte(kPrefixSimd).has_value());
  EXPECT_FALSE(opcode_from_prefixed(kPrefixSimd, 154).has_value());  // reserved
  EXPECT_FALSE(opcode_from_prefixed(kPrefixMisc, 18).has_value());
  EXPECT_FALSE(opcode_from_prefixed(kPrefixSimd, 0x1ff).has_value());
}

TEST(Opcodes, TextNamesAreUniqueExceptSelect) {
  std::set<std::string_view> names;
  for (const OpcodeInfo& info : kOpcodeInfo) {
    if (info.text == "select" && info.immediate == ImmediateKind::SelectTypes) continue;
    EXPECT_TRUE(names.insert(info.text).second) << info.text;
    const auto found = opcode_from_text(info.text);
    ASSERT_TRUE(found.has_value()) << info.text;
    EXPECT_EQ(opcode_info(*found).text, info.text);
  }
  EXPECT_EQ(opcode_from_text("select"), Opcode::Select);
  EXPECT_EQ(opcode_from_text("i32.add"), Opcode::I32Add);
  EXPECT_EQ(opcode_from_text("f64x2.convert_low_i32x4_u"), Opcode::F64x2ConvertLowI32x4U);
  EXPECT_FALSE(opcode_from_text("get_local").has_value());  // pre-1.0 spelling
}

TEST(Opcodes, SignaturesAreWellFormed) {
  for (const OpcodeInfo& info : kOpcodeInfo) {
    if (info.signature == "*") continue;
    const size_t colon = info.signature.find(':');
    ASSERT_NE(colon, std::string_view::npos) << info.text;
    EXPECT_EQ(info.signature.find(':', colon + 1), std::string_view::npos) << info.text;
    for (char c : info.signature) {
      EXPECT_NE(std::string_view("ilfdv:").find(c), std::string_view::npos) << info.text;
    }
    EXPECT_LE(info.signature.size() - colon - 1, 1u) << "one result at most: " << info.text;
  }
}

TEST(Opcodes, MemoryAndLaneArgumentsAreSet) {
  for (const OpcodeInfo& info : kOpcodeInfo) {
    switch (info.immediate) {
      case ImmediateKind::MemArg:
      case ImmediateKind::MemArgLane:
        EXPECT_TRUE(info.arg == 1 || info.arg == 2 || info.arg == 4 || info.arg == 8 ||
                    info.arg == 16)
            << info.text;
        break;
      case ImmediateKind::Lane:
        EXPECT_TRUE(info.arg == 2 || info.arg == 4 || info.arg == 8 || info.arg == 16)
            << info.text;
        break;
      default:
        EXPECT_EQ(info.arg, 0) << info.text;
    }
  }
  EXPECT_EQ(opcode_info(Opcode::I64Load32U).arg, 4);
  EXPECT_EQ(opcode_info(Opcode::V128Load).arg, 16);
  EXPECT_EQ(opcode_info(Opcode::I8x16ExtractLaneS).arg, 16);
}

}  // namespace
}  // namespace kiln
