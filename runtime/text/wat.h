// The WebAssembly text format (spec chapter 6): parse one module and encode it as binary.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "runtime/result.h"

namespace kiln {

/// Parses `source`, which holds one `(module ...)` form or a sequence of module fields
/// (the abbreviation of the spec's 6.6.13), and encodes it in the binary format. Errors are
/// ErrorKind::Malformed with the byte offset into `source` and the spec suite's message
/// ("unexpected token", "unknown operator", "constant out of range", "unknown label", ...).
/// The result is not validated: decode_module does that.
Result<std::vector<uint8_t>> wat_to_binary(std::string_view source);

/// "line:column" (1-based) of a byte offset into `source`, for messages.
std::string line_column(std::string_view source, size_t offset);

}  // namespace kiln
