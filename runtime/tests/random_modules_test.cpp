// Differential check of the validator on random modules: binaryen's `wasm-opt -ttf` turns
// seed bytes (fixed seeds, so failures reproduce) into valid modules, which Kiln must
// accept; with reference types on, Kiln must agree with wabt's wasm-validate instead,
// because binaryen 108 treats externref as anyref and so emits some modules Wasm 2.0 rejects.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "runtime/decoder.h"
#include "runtime/module_source.h"

namespace kiln {
namespace {

constexpr int kModulesPerRun = 100;
constexpr const char* kWasm2Features =
    "--enable-simd --enable-bulk-memory --enable-multivalue --enable-sign-ext "
    "--enable-nontrapping-float-to-int";

class RandomModules : public testing::Test {
 protected:
  void SetUp() override {
    if (std::string(KILN_WASM_OPT).empty() || std::string(KILN_WASM_VALIDATE).empty()) {
      GTEST_SKIP() << "binaryen's wasm-opt or wabt's wasm-validate was not found at configure "
                      "time (tools/setup installs both)";
    }
    dir_ = std::filesystem::temp_directory_path() /
           ("kiln-random-modules-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  // Writes seed bytes for `seed` and has wasm-opt build a module from them; empty on failure.
  std::vector<uint8_t> generate(unsigned seed, const std::string& features) {
    std::mt19937 generator(seed);
    std::vector<char> bytes(1000 + generator() % 8000);
    for (char& byte : bytes) byte = static_cast<char>(generator());
    const auto seed_path = dir_ / "seed";
    const auto module_path = dir_ / "module.wasm";
    std::FILE* file = std::fopen(seed_path.c_str(), "wb");
    if (file == nullptr) return {};
    std::fwrite(bytes.data(), 1, bytes.size(), file);
    std::fclose(file);
    const std::string command = std::string(KILN_WASM_OPT) + " -ttf " + seed_path.string() +
                                " -o " + module_path.string() + " " + features +
                                " > /dev/null 2>&1";
    if (std::system(command.c_str()) != 0) return {};
    auto module = read_file(module_path.string());
    return module ? std::move(module).value() : std::vector<uint8_t>{};
  }

  bool wabt_accepts() const {
    const std::string command = std::string(KILN_WASM_VALIDATE) + " " +
                                (dir_ / "module.wasm").string() + " > /dev/null 2>&1";
    return std::system(command.c_str()) == 0;
  }

  std::filesystem::path dir_;
};

TEST_F(RandomModules, BinaryenModulesOfWasm2FeaturesValidate) {
  int generated = 0;
  for (unsigned seed = 1; seed <= kModulesPerRun; ++seed) {
    const std::vector<uint8_t> bytes = generate(seed, kWasm2Features);
    if (bytes.empty()) continue;
    ++generated;
    auto module = decode_module(bytes);
    EXPECT_TRUE(module.ok()) << "seed " << seed << ": " << module.error().message << " at 0x"
                             << std::hex << module.error().offset;
  }
  EXPECT_GE(generated, kModulesPerRun * 9 / 10) << "wasm-opt failed on too many seeds";
}

TEST_F(RandomModules, WithReferenceTypesKilnAgreesWithWabt) {
  const std::string features = std::string(kWasm2Features) + " --enable-reference-types";
  int generated = 0;
  for (unsigned seed = 1001; seed <= 1000 + kModulesPerRun; ++seed) {
    const std::vector<uint8_t> bytes = generate(seed, features);
    if (bytes.empty()) continue;
    ++generated;
    auto module = decode_module(bytes);
    EXPECT_EQ(module.ok(), wabt_accepts())
        << "seed " << seed << ": kiln says "
        << (module.ok() ? std::string("valid") : module.error().message);
  }
  EXPECT_GE(generated, kModulesPerRun * 9 / 10) << "wasm-opt failed on too many seeds";
}

}  // namespace
}  // namespace kiln
