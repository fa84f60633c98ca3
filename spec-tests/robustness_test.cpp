// Feeds the decoder every module of the spec suite truncated at every length and with
// random byte flips, and the text parser every text module corrupted the same way: each
// input must be accepted or rejected with an error, never crash (run under ASan+UBSan in CI).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "runtime/decoder.h"
#include "runtime/module_source.h"
#include "runtime/text/wast.h"
#include "runtime/text/wat.h"

namespace kiln {
namespace {

constexpr int kMutantsPerModule = 48;

struct SuiteModules {
  std::vector<std::vector<uint8_t>> binaries;
  std::vector<std::string> texts;
};

SuiteModules modules_of(const std::string& path) {
  SuiteModules found;
  auto contents = read_file(path);
  EXPECT_TRUE(contents.ok()) << path;
  if (!contents) return found;
  auto script = wast::parse_script(
      std::string_view(reinterpret_cast<const char*>(contents->data()), contents->size()));
  EXPECT_TRUE(script.ok()) << path << ": " << script.error().message;
  if (!script) return found;
  for (const wast::Command& command : script->commands) {
    if (!command.module) continue;
    const wast::ScriptModule& module = *command.module;
    if (module.form == wast::ScriptModule::Form::Binary) {
      found.binaries.push_back(module.binary);
      continue;
    }
    found.texts.push_back(module.text);
    auto encoded = wat_to_binary(module.text);
    if (encoded) found.binaries.push_back(std::move(encoded).value());
  }
  return found;
}

// What every rejection must look like, whatever the input.
void expect_sound(const Result<std::shared_ptr<const Module>>& result, size_t input_size) {
  if (result) return;
  EXPECT_FALSE(result.error().message.empty());
  EXPECT_LE(result.error().offset, input_size);
}

std::mt19937 generator_for(const std::string& name, size_t index) {
  std::seed_seq seed(name.begin(), name.end());
  std::mt19937 generator(seed);
  generator.discard(index);
  return generator;
}

class SuiteRobustness : public testing::TestWithParam<std::string> {};

TEST_P(SuiteRobustness, TruncatedModulesNeverCrashTheDecoder) {
  const SuiteModules modules = modules_of(GetParam());
  for (const auto& bytes : modules.binaries) {
    for (size_t length = 0; length < bytes.size(); ++length) {
      const std::span<const uint8_t> prefix(bytes.data(), length);
      auto result = decode_module(prefix);
      expect_sound(result, length);
      if (length < 8) {
        EXPECT_FALSE(result.ok()) << "a module needs its 8-byte header";
      }
    }
  }
}

TEST_P(SuiteRobustness, CorruptedModulesNeverCrashTheDecoder) {
  const SuiteModules modules = modules_of(GetParam());
  for (size_t index = 0; index < modules.binaries.size(); ++index) {
    const auto& original = modules.binaries[index];
    if (original.empty()) continue;
    std::mt19937 generator = generator_for(GetParam(), index);
    for (int mutant = 0; mutant < kMutantsPerModule; ++mutant) {
      std::vector<uint8_t> bytes = original;
      const int flips = 1 + static_cast<int>(generator() % 4);
      for (int flip = 0; flip < flips; ++flip) {
        bytes[generator() % bytes.size()] = static_cast<uint8_t>(generator());
      }
      expect_sound(decode_module(bytes), bytes.size());
    }
  }
}

TEST_P(SuiteRobustness, CorruptedTextNeverCrashesTheParser) {
  const SuiteModules modules = modules_of(GetParam());
  for (size_t index = 0; index < modules.texts.size(); ++index) {
    const std::string& original = modules.texts[index];
    if (original.empty()) continue;
    std::mt19937 generator = generator_for(GetParam(), index);
    for (int mutant = 0; mutant < kMutantsPerModule / 4; ++mutant) {
      std::string text = original.substr(0, generator() % (original.size() + 1));
      if (!text.empty() && mutant % 2 == 1) {
        text[generator() % text.size()] = static_cast<char>(generator());
      }
      auto result = wat_to_binary(text);
      if (!result) {
        EXPECT_FALSE(result.error().message.empty());
        EXPECT_LE(result.error().offset, text.size());
      }
    }
  }
}

std::vector<std::string> suite_scripts() {
  std::vector<std::string> scripts;
  for (const auto& entry : std::filesystem::directory_iterator(KILN_SPEC_DIR)) {
    if (entry.path().extension() == ".wast") scripts.push_back(entry.path().string());
  }
  std::sort(scripts.begin(), scripts.end());
  return scripts;
}

std::string test_name(const testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  std::replace_if(name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(WasmSpec, SuiteRobustness, testing::ValuesIn(suite_scripts()), test_name);

}  // namespace
}  // namespace kiln
