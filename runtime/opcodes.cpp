// The text-keyword lookup table, built once from opcodes.def. (The binary-encoding tables are
// constexpr in opcodes.h.)
#include "runtime/opcodes.h"

#include <unordered_map>

namespace kiln {
namespace {

struct TextTable {
  std::unordered_map<std::string_view, Opcode> by_text;

  TextTable() {
    for (unsigned i = 0; i < kOpcodeCount; ++i) {
      by_text.emplace(kOpcodeInfo[i].text, static_cast<Opcode>(i));  // keeps the first "select"
    }
  }
};

const TextTable& text_table() {
  static const TextTable instance;
  return instance;
}

}  // namespace

std::optional<Opcode> opcode_from_text(std::string_view text) {
  const auto& by_text = text_table().by_text;
  auto it = by_text.find(text);
  if (it == by_text.end()) return std::nullopt;
  return it->second;
}

}  // namespace kiln
