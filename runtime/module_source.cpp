// Reading module files (binary or text) for the CLI and hosts.
#include "runtime/module_source.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "runtime/text/wat.h"

namespace kiln {

Result<std::vector<uint8_t>> read_file(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return Error{ErrorKind::Io, 0, "cannot read " + path + ": " + std::strerror(errno)};
  }
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  size_t got = 0;
  while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0) {
    bytes.insert(bytes.end(), chunk, chunk + got);
  }
  const bool failed = std::ferror(file) != 0;
  const int saved_errno = errno;
  std::fclose(file);
  if (failed) {
    return Error{ErrorKind::Io, 0, "cannot read " + path + ": " + std::strerror(saved_errno)};
  }
  return bytes;
}

bool has_binary_magic(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 'a' && bytes[2] == 's' &&
         bytes[3] == 'm';
}

Result<std::vector<uint8_t>> load_module_binary(const std::string& path, bool* is_text) {
  auto contents = read_file(path);
  if (!contents) return std::move(contents).error();
  // A .wasm file is binary even when its magic is wrong, so that the error says so.
  const bool named_binary = path.size() >= 5 && path.compare(path.size() - 5, 5, ".wasm") == 0;
  const bool text = !named_binary && !has_binary_magic(*contents);
  if (is_text != nullptr) *is_text = text;
  if (!text) return std::move(contents).value();
  const std::string_view source(reinterpret_cast<const char*>(contents->data()), contents->size());
  return wat_to_binary(source);
}

}  // namespace kiln
