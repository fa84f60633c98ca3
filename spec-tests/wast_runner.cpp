// The WAST runner. Modules are encoded (text) and decoded+validated when their command runs,
// so one bad module fails one command. Commands that need execution are counted as skipped
// until the interpreter exists.
#include "spec-tests/wast_runner.h"

#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "runtime/decoder.h"
#include "runtime/module_source.h"
#include "runtime/text/wast.h"
#include "runtime/text/wat.h"

namespace kiln::spec {
namespace {

using wast::Command;
using wast::ScriptModule;

const char* command_name(Command::Kind kind) {
  switch (kind) {
    case Command::Kind::Module: return "module";
    case Command::Kind::Register: return "register";
    case Command::Kind::Action: return "action";
    case Command::Kind::AssertReturn: return "assert_return";
    case Command::Kind::AssertTrap: return "assert_trap";
    case Command::Kind::AssertExhaustion: return "assert_exhaustion";
    case Command::Kind::AssertMalformed: return "assert_malformed";
    case Command::Kind::AssertInvalid: return "assert_invalid";
    case Command::Kind::AssertUnlinkable: return "assert_unlinkable";
    case Command::Kind::AssertUninstantiable: return "assert_uninstantiable";
  }
  return "?";
}

const char* kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::Malformed: return "malformed";
    case ErrorKind::Invalid: return "invalid";
    case ErrorKind::Io: return "io";
    case ErrorKind::Unlinkable: return "unlinkable";
    case ErrorKind::Trap: return "trap";
    case ErrorKind::Other: return "error";
  }
  return "error";
}

/// A script module turned into a validated module, or the error that stopped it, with
/// text-format offsets rendered as line:column of the module's own text.
struct Compiled {
  std::shared_ptr<const Module> module;
  std::optional<Error> error;
  std::string where;  ///< "line:col" in the module text, or "@0x1f" in the binary
};

std::string hex_offset(size_t offset) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "@0x%zx", offset);
  return buffer;
}

Compiled compile(const ScriptModule& source) {
  Compiled compiled;
  std::vector<uint8_t> bytes;
  if (source.form == ScriptModule::Form::Binary) {
    bytes = source.binary;
  } else {
    auto encoded = wat_to_binary(source.text);
    if (!encoded) {
      compiled.error = encoded.error();
      compiled.where = line_column(source.text, encoded.error().offset);
      return compiled;
    }
    bytes = std::move(encoded).value();
  }
  auto decoded = decode_module(bytes);
  if (!decoded) {
    compiled.error = decoded.error();
    compiled.where = hex_offset(decoded.error().offset);
    return compiled;
  }
  compiled.module = std::move(decoded).value();
  return compiled;
}

bool message_matches(const std::string& actual, const std::string& expected) {
  return actual.compare(0, expected.size(), expected) == 0;
}

class ScriptRun {
 public:
  ScriptRun(const std::string& name, const RunnerOptions& options, std::FILE* report)
      : name_(name), options_(options), report_(report) {}

  void run(const Command& command) {
    line_ = command.line;
    kind_ = command.kind;
    switch (command.kind) {
      case Command::Kind::Module: return expect_valid(*command.module);
      case Command::Kind::AssertMalformed:
        return expect_rejected(*command.module, ErrorKind::Malformed, command.message);
      case Command::Kind::AssertInvalid:
        return expect_rejected(*command.module, ErrorKind::Invalid, command.message);
      case Command::Kind::AssertUnlinkable:
      case Command::Kind::AssertUninstantiable:
        return expect_valid_then_skip(*command.module);
      case Command::Kind::AssertTrap:
        if (command.module) return expect_valid_then_skip(*command.module);
        return skip_execution();
      case Command::Kind::Register:
      case Command::Kind::Action:
      case Command::Kind::AssertReturn:
      case Command::Kind::AssertExhaustion:
        return skip_execution();
    }
  }

  void fail_script(const Error& error, std::string_view source) {
    ++tally_.failed;
    std::fprintf(report_, "%s:%s: the script does not parse: %s\n", name_.c_str(),
                 line_column(source, error.offset).c_str(), error.message.c_str());
  }

  const Tally& tally() const { return tally_; }

 private:
  void fail(const std::string& what) {
    ++tally_.failed;
    std::fprintf(report_, "%s:%zu: %s: %s\n", name_.c_str(), line_, command_name(kind_),
                 what.c_str());
  }

  void expect_valid(const ScriptModule& source) {
    Compiled compiled = compile(source);
    if (compiled.error) {
      fail("module rejected (" + std::string(kind_name(compiled.error->kind)) + " at " +
           compiled.where + "): " + compiled.error->message);
      return;
    }
    ++tally_.passed;
    ++tally_.modules_validated;
  }

  // The module must validate; what happens when it is linked or instantiated needs the
  // runtime, so that part is counted as skipped.
  void expect_valid_then_skip(const ScriptModule& source) {
    Compiled compiled = compile(source);
    if (compiled.error) {
      fail("module rejected (" + std::string(kind_name(compiled.error->kind)) + " at " +
           compiled.where + "): " + compiled.error->message);
      return;
    }
    ++tally_.modules_validated;
    skip_execution();
  }

  void expect_rejected(const ScriptModule& source, ErrorKind expected_kind,
                       const std::string& expected_message) {
    Compiled compiled = compile(source);
    if (!compiled.error) {
      fail("module accepted, expected \"" + expected_message + "\"");
      return;
    }
    const Error& error = *compiled.error;
    const bool same_message = message_matches(error.message, expected_message);
    // A text module may be rejected by the text parser for what the binary format calls
    // invalid (an unknown name has no binary form); the message decides then.
    if (error.kind != expected_kind && !same_message) {
      fail(std::string("rejected as ") + kind_name(error.kind) + " (" + error.message +
           "), expected " + kind_name(expected_kind) + " \"" + expected_message + "\"");
      return;
    }
    if (!same_message) {
      ++tally_.message_mismatches;
      if (options_.strict_messages) {
        fail("message \"" + error.message + "\", expected \"" + expected_message + "\"");
        return;
      }
      if (options_.verbose) {
        std::fprintf(report_, "%s:%zu: %s: note: message \"%s\", expected \"%s\"\n",
                     name_.c_str(), line_, command_name(kind_), error.message.c_str(),
                     expected_message.c_str());
      }
    }
    ++tally_.passed;
    ++(expected_kind == ErrorKind::Malformed ? tally_.malformed_rejected
                                             : tally_.invalid_rejected);
  }

  void skip_execution() {
    ++tally_.skipped;
    ++tally_.needs_execution;
  }

  const std::string& name_;
  const RunnerOptions& options_;
  std::FILE* report_;
  Tally tally_;
  size_t line_ = 0;
  Command::Kind kind_ = Command::Kind::Module;
};

}  // namespace

Tally& Tally::operator+=(const Tally& other) {
  passed += other.passed;
  failed += other.failed;
  skipped += other.skipped;
  message_mismatches += other.message_mismatches;
  needs_execution += other.needs_execution;
  modules_validated += other.modules_validated;
  malformed_rejected += other.malformed_rejected;
  invalid_rejected += other.invalid_rejected;
  return *this;
}

Tally run_script(std::string_view source, const std::string& name, const RunnerOptions& options,
                 std::FILE* report) {
  ScriptRun run(name, options, report);
  auto script = wast::parse_script(source);
  if (!script) {
    run.fail_script(script.error(), source);
    return run.tally();
  }
  for (const Command& command : script->commands) run.run(command);
  return run.tally();
}

Tally run_script_file(const std::string& path, const RunnerOptions& options, std::FILE* report) {
  auto contents = read_file(path);
  if (!contents) {
    std::fprintf(report, "%s\n", contents.error().message.c_str());
    Tally tally;
    tally.failed = 1;
    return tally;
  }
  const std::string_view source(reinterpret_cast<const char*>(contents->data()),
                                contents->size());
  return run_script(source, path, options, report);
}

std::string format_counts(const Tally& tally) {
  return std::to_string(tally.passed) + " passed, " + std::to_string(tally.failed) +
         " failed, " + std::to_string(tally.skipped) + " skipped";
}

}  // namespace kiln::spec
