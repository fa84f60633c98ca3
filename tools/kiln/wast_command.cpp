// `kiln wast [options] FILE...`: run spec-test scripts (validate, instantiate, execute in
// the interpreter), one line of counts per file as it finishes (the progress of a long
// run), then the total.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "spec-tests/wast_runner.h"
#include "tools/kiln/commands.h"

namespace kiln::cli {

int wast_command(Args args) {
  spec::RunnerOptions options;
  std::vector<std::string> files;
  for (const char* raw : args) {
    const std::string_view arg = raw;
    if (arg == "--tier=interp") {
      options.tier = spec::Tier::Interp;
    } else if (arg == "--tier=jit" || arg == "--tier=tiered") {
      // Said plainly rather than run as if it were there: nothing would be compiled.
      return usage_error("wast: " + std::string(arg.substr(7)) +
                         ": this build has no JIT yet (use --tier=interp)");
    } else if (arg.starts_with("--tier")) {
      return usage_error("wast: --tier takes interp, jit or tiered");
    } else if (arg == "--verbose" || arg == "-v") {
      options.verbose = true;
    } else if (arg == "--strict-messages") {
      options.strict_messages = true;
    } else if (arg.starts_with("-")) {
      return usage_error("wast: unknown option '" + std::string(arg) + "'");
    } else {
      files.emplace_back(arg);
    }
  }
  if (files.empty()) return usage_error("wast needs at least one .wast file");

  spec::Tally total;
  for (const std::string& file : files) {
    const spec::Tally tally = spec::run_script_file(file, options, stderr);
    std::printf("%s: %s\n", file.c_str(), spec::format_counts(tally).c_str());
    std::fflush(stdout);
    total += tally;
  }
  std::fprintf(stderr,
               "note: %zu modules validated (%zu instantiated by module commands), %zu "
               "actions run, %zu assert_malformed and %zu assert_invalid rejected as "
               "expected\n",
               total.modules_validated, total.modules_instantiated, total.actions_run,
               total.malformed_rejected, total.invalid_rejected);
  if (total.message_mismatches > 0) {
    std::fprintf(stderr, "note: %zu rejections were worded differently from the script%s\n",
                 total.message_mismatches,
                 options.verbose ? "" : " (--verbose lists them)");
  }
  std::fflush(stderr);
  std::printf("total: %s\n", spec::format_counts(total).c_str());
  return total.failed == 0 ? 0 : 1;
}

}  // namespace kiln::cli
