// Reading a module from a file as the CLI and hosts give it: a binary (.wasm) or the text
// format (.wat), told apart by the name (.wasm is always binary) and else by the magic.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/result.h"

namespace kiln {

/// The whole contents of `path`, or an Io error naming the file and the reason.
Result<std::vector<uint8_t>> read_file(const std::string& path);

/// True when `bytes` starts with the binary format's magic "\0asm".
bool has_binary_magic(const std::vector<uint8_t>& bytes);

/// The module binary in `path`: the file itself if it is a binary, else its text encoded.
/// Text errors carry the offset into the text; `is_text` (if given) says which it was.
Result<std::vector<uint8_t>> load_module_binary(const std::string& path, bool* is_text = nullptr);

}  // namespace kiln
