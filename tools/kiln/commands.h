// The subcommands of the `kiln` program; each lives in its own file and returns the
// process exit status (0 success, 1 failure, e.g. an invalid module or a trap, 2 bad usage).
#pragma once

#include <span>
#include <string_view>

namespace kiln::cli {

using Args = std::span<const char* const>;

int validate_command(Args args);
int wast_command(Args args);
int run_command(Args args);

/// Prints "kiln: <message>" to stderr and returns 2, for usage errors.
int usage_error(std::string_view message);

}  // namespace kiln::cli
