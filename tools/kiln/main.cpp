// Entry point of the `kiln` command-line program: dispatches to one subcommand.
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "tools/kiln/commands.h"

namespace {

constexpr const char* kUsage =
    "usage: kiln <command> [options] [args]\n"
    "\n"
    "commands:\n"
    "  validate FILE...            decode and validate modules (.wasm or .wat)\n"
    "  run [options] FILE --invoke NAME [ARGS...]\n"
    "                              instantiate a module (no imports yet) and call the\n"
    "                              export NAME (default _start) with ARGS, parsed by its\n"
    "                              parameter types (i32/i64: decimal or 0x hex, f32/f64:\n"
    "                              decimal, inf, nan); prints one result per line\n"
    "      --fuel N                   trap with \"fuel exhausted\" after N units of fuel\n"
    "      --timeout SECONDS          trap with \"interrupted\" after SECONDS (e.g. 1.5)\n"
    "  wast [options] FILE...      run spec-test scripts (.wast)\n"
    "      --tier=interp              the execution tier (jit and tiered come with the JIT)\n"
    "      --strict-messages          a rejection worded unlike the script is a failure\n"
    "      --verbose                  also report such wording differences\n"
    "\n"
    "  kiln --version | --help\n"
    "\n"
    "exit status: 0 success; 1 failure (invalid module, unknown import, trap: the message\n"
    "and the wasm backtrace on stderr; failed spec commands); 2 bad usage or arguments\n";

}  // namespace

namespace kiln::cli {

int usage_error(std::string_view message) {
  std::fprintf(stderr, "kiln: %.*s\n(see `kiln --help`)\n", static_cast<int>(message.size()),
               message.data());
  return 2;
}

}  // namespace kiln::cli

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string_view command = argv[1];
  const kiln::cli::Args rest(argv + 2, static_cast<size_t>(argc - 2));
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "--version") {
    std::puts("kiln 0.1.0");
    return 0;
  }
  if (command == "validate") return kiln::cli::validate_command(rest);
  if (command == "wast") return kiln::cli::wast_command(rest);
  if (command == "run") return kiln::cli::run_command(rest);
  return kiln::cli::usage_error("unknown command '" + std::string(command) + "'");
}
