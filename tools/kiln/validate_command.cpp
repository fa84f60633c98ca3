// `kiln validate FILE...`: decode and validate each module, print "ok" or the error with
// where it was found (byte offset in a binary, line:column in a text module).
#include <cstdio>
#include <string>

#include "runtime/decoder.h"
#include "runtime/module_source.h"
#include "runtime/text/wat.h"
#include "tools/kiln/commands.h"

namespace kiln::cli {
namespace {

bool validate_file(const std::string& path, bool name_it) {
  bool is_text = false;
  auto bytes = load_module_binary(path, &is_text);
  if (!bytes) {
    const Error& error = bytes.error();
    if (error.kind == ErrorKind::Io) {
      std::fprintf(stderr, "kiln: %s\n", error.message.c_str());
      return false;
    }
    // A text module that does not parse: point at its line and column.
    auto text = read_file(path);
    const std::string where =
        text ? line_column(std::string_view(reinterpret_cast<const char*>(text->data()),
                                            text->size()),
                           error.offset)
             : std::to_string(error.offset);
    std::printf("%s:%s: error: %s\n", path.c_str(), where.c_str(), error.message.c_str());
    return false;
  }
  auto module = decode_module(*bytes);
  if (!module) {
    const Error& error = module.error();
    std::printf("%s:@0x%zx: error: %s%s\n", path.c_str(), error.offset,
                error.kind == ErrorKind::Invalid ? "invalid module: " : "malformed module: ",
                error.message.c_str());
    return false;
  }
  if (name_it) {
    std::printf("%s: ok\n", path.c_str());
  } else {
    std::puts("ok");
  }
  return true;
}

}  // namespace

int validate_command(Args args) {
  if (args.empty()) return usage_error("validate needs a file (.wasm or .wat)");
  for (const char* arg : args) {
    if (arg[0] == '-' && arg[1] != '\0') {
      return usage_error("validate: unknown option '" + std::string(arg) + "'");
    }
  }
  bool all_ok = true;
  for (const char* path : args) all_ok = validate_file(path, args.size() > 1) && all_ok;
  return all_ok ? 0 : 1;
}

}  // namespace kiln::cli
