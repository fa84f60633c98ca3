// Runs WAST scripts of the spec test suite against Kiln (validating, instantiating and
// executing) and counts what passed, failed and was skipped. `kiln wast` and the CTest
// registration of the suite both go through here.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

namespace kiln::spec {

enum class Tier { Interp, Jit, Tiered };

struct RunnerOptions {
  Tier tier = Tier::Interp;
  bool verbose = false;          ///< also report passing-with-a-different-message checks
  bool strict_messages = false;  ///< a rejection with a different message is a failure
};

/// What one script (or several, summed) came to.
struct Tally {
  size_t passed = 0;
  size_t failed = 0;
  size_t skipped = 0;  ///< commands this build cannot run (none with the interpreter tier)
  /// Rejections that happened for a reason worded differently from the script's text.
  size_t message_mismatches = 0;
  /// Modules that validated: those of module commands and of assert_unlinkable /
  /// assert_uninstantiable / assert_trap (whether or not the command then passed).
  size_t modules_validated = 0;
  /// Module commands whose module instantiated.
  size_t modules_instantiated = 0;
  /// Actions (invoke, get) that ran, bare or inside an assertion, whatever they returned.
  size_t actions_run = 0;
  /// Of `passed`: assert_malformed and assert_invalid.
  size_t malformed_rejected = 0;
  size_t invalid_rejected = 0;

  Tally& operator+=(const Tally& other);
};

/// Runs the script in `source`; failures (and with `verbose`, message mismatches) are
/// reported to `report`, one line each, prefixed with `name:line:`.
Tally run_script(std::string_view source, const std::string& name, const RunnerOptions& options,
                 std::FILE* report);

/// Reads and runs the script at `path`; an unreadable file is one failure.
Tally run_script_file(const std::string& path, const RunnerOptions& options, std::FILE* report);

/// "N passed, M failed, K skipped", the form the test tooling reads.
std::string format_counts(const Tally& tally);

}  // namespace kiln::spec
