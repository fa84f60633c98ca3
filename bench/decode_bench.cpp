// Decoder throughput: kiln::decode_module (decode + validate, one pass) on the generated big
// module and on each program of the suite, reported in bytes per second.
// Usage: kiln_decode_bench [benchmark flags] [EXTRA.wasm...]  (extra files are measured too)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/decoder.h"

namespace {

std::vector<uint8_t> read_file(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> split_commas(std::string_view list) {
  std::vector<std::string> parts;
  while (!list.empty()) {
    size_t comma = list.find(',');
    parts.emplace_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return parts;
}

// Each benchmark owns its module's bytes; they are checked once before any timing, so that
// a decoder failure is an error and never a fast-looking result.
void decode_benchmark(benchmark::State& state, const std::vector<uint8_t>* bytes) {
  size_t functions = 0;
  for (auto _ : state) {
    auto module = kiln::decode_module(*bytes);
    if (!module) {
      state.SkipWithError(module.error().message.c_str());
      break;
    }
    functions = (*module)->functions.size();
    benchmark::DoNotOptimize(module);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(bytes->size()));
  state.counters["bytes"] = static_cast<double>(bytes->size());
  state.counters["functions"] = static_cast<double>(functions);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);  // leaves the arguments it does not know

  std::vector<std::pair<std::string, std::string>> modules;  // (benchmark name, path)
  modules.emplace_back("decode/big", KILN_BENCH_BIG_MODULE);
  for (const std::string& name : split_commas(KILN_BENCH_PROGRAMS)) {
    modules.emplace_back("decode/" + name, std::string(KILN_BENCH_WASM_DIR) + "/" + name + ".wasm");
  }
  for (int i = 1; i < argc; ++i) modules.emplace_back(std::string("decode/") + argv[i], argv[i]);

  // Kept alive for the whole run: the benchmarks hold pointers into it.
  static std::vector<std::vector<uint8_t>> contents;
  contents.reserve(modules.size());
  int failures = 0;
  for (const auto& [name, path] : modules) {
    bool ok = false;
    contents.push_back(read_file(path, &ok));
    if (!ok) {
      std::fprintf(stderr, "kiln_decode_bench: cannot read %s\n", path.c_str());
      ++failures;
      continue;
    }
    auto module = kiln::decode_module(contents.back());
    if (!module) {
      std::fprintf(stderr, "kiln_decode_bench: %s does not decode: @0x%zx: %s\n", path.c_str(),
                   module.error().offset, module.error().message.c_str());
      ++failures;
      continue;
    }
    benchmark::RegisterBenchmark(name.c_str(), decode_benchmark, &contents.back())
        ->Unit(benchmark::kMicrosecond);
  }
  if (failures != 0) return 1;

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
