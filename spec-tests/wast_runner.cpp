// The WAST runner. Each script gets its own store and linker (with `spectest`); modules are
// encoded (text), decoded, validated and instantiated when their command runs, so one bad
// module fails one command; actions run in the interpreter.
#include "spec-tests/wast_runner.h"

#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "runtime/decoder.h"
#include "runtime/linker.h"
#include "runtime/module_source.h"
#include "runtime/store.h"
#include "runtime/text/wast.h"
#include "runtime/text/wat.h"
#include "spec-tests/wast_values.h"

namespace kiln::spec {
namespace {

using wast::Action;
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

/// A trap's message against the script's: ours starts with it, or it is ours followed by
/// the index the reference interpreter appends (bulk.wast: "uninitialized element 2").
bool trap_message_matches(const std::string& actual, const std::string& expected) {
  if (message_matches(actual, expected)) return true;
  if (actual.empty() || expected.size() < actual.size() + 2 ||
      expected.compare(0, actual.size(), actual) != 0 || expected[actual.size()] != ' ') {
    return false;
  }
  for (size_t i = actual.size() + 1; i < expected.size(); ++i) {
    if (expected[i] < '0' || expected[i] > '9') return false;
  }
  return true;
}

std::string module_label(const std::optional<std::string>& id) {
  return id ? "module " + *id : std::string("the current module");
}

class ScriptRun {
 public:
  ScriptRun(const std::string& name, const RunnerOptions& options, std::FILE* report)
      : name_(name), options_(options), report_(report), store_(engine_) {
    define_spectest(store_, linker_);
  }

  void run(const Command& command) {
    line_ = command.line;
    kind_ = command.kind;
    switch (command.kind) {
      case Command::Kind::Module: return define_module(*command.module);
      case Command::Kind::AssertMalformed:
        return expect_rejected(*command.module, ErrorKind::Malformed, command.message);
      case Command::Kind::AssertInvalid:
        return expect_rejected(*command.module, ErrorKind::Invalid, command.message);
      case Command::Kind::AssertUnlinkable:
        return expect_not_instantiated(*command.module, ErrorKind::Unlinkable, command.message);
      case Command::Kind::AssertUninstantiable:
        return expect_not_instantiated(*command.module, ErrorKind::Trap, command.message);
      case Command::Kind::AssertTrap:
        if (command.module) {
          return expect_not_instantiated(*command.module, ErrorKind::Trap, command.message);
        }
        return expect_trap(*command.action, command.message);
      case Command::Kind::AssertExhaustion:
        return expect_trap(*command.action, command.message);
      case Command::Kind::Register:
        return register_module(command.register_as, command.register_module);
      case Command::Kind::Action: return run_action(*command.action);
      case Command::Kind::AssertReturn:
        return expect_return(*command.action, command.expected);
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

  void pass() { ++tally_.passed; }

  /// The validated module, or nullptr after reporting why it was rejected.
  std::shared_ptr<const Module> validated(const ScriptModule& source) {
    Compiled compiled = compile(source);
    if (compiled.error) {
      fail("module rejected (" + std::string(kind_name(compiled.error->kind)) + " at " +
           compiled.where + "): " + compiled.error->message);
      return nullptr;
    }
    ++tally_.modules_validated;
    return compiled.module;
  }

  /// `module`: validate, instantiate, and make it the current module (and `$id`'s). A
  /// module that fails leaves no current module, so actions on it say so.
  void define_module(const ScriptModule& source) {
    current_ = nullptr;
    current_line_ = line_;
    if (source.name) named_[*source.name] = Defined{nullptr, line_};
    auto module = validated(source);
    if (!module) return;
    auto instance = linker_.instantiate(store_, std::move(module));
    if (!instance) {
      fail("instantiation failed (" + std::string(kind_name(instance.error().kind)) +
           "): " + instance.error().message);
      return;
    }
    current_ = *instance;
    if (source.name) named_[*source.name].instance = *instance;
    ++tally_.modules_instantiated;
    pass();
  }

  /// assert_unlinkable / assert_uninstantiable / assert_trap with a module: the module
  /// validates, and instantiating it fails with `expected_kind` and the script's message as
  /// a prefix. What a trapping instantiation wrote into imported tables and memories stays
  /// (the store keeps it).
  void expect_not_instantiated(const ScriptModule& source, ErrorKind expected_kind,
                               const std::string& expected_message) {
    auto module = validated(source);
    if (!module) return;
    auto instance = linker_.instantiate(store_, std::move(module));
    if (instance) {
      fail("module instantiated, expected " + std::string(kind_name(expected_kind)) + " \"" +
           expected_message + "\"");
      return;
    }
    const Error& error = instance.error();
    const bool same_message = expected_kind == ErrorKind::Trap
                                  ? trap_message_matches(error.message, expected_message)
                                  : message_matches(error.message, expected_message);
    if (error.kind != expected_kind || !same_message) {
      fail(std::string("instantiation failed as ") + kind_name(error.kind) + " \"" +
           error.message + "\", expected " + kind_name(expected_kind) + " \"" +
           expected_message + "\"");
      return;
    }
    pass();
  }

  /// The instance an action or `register` names, or nullptr after reporting why not.
  Instance* find_instance(const std::optional<std::string>& id) {
    if (!id) {
      if (current_) return current_;
      fail(current_line_ == 0
               ? std::string("no module is defined yet")
               : "the current module (line " + std::to_string(current_line_) +
                     ") failed to instantiate");
      return nullptr;
    }
    auto it = named_.find(*id);
    if (it == named_.end()) {
      fail("unknown module " + *id);
      return nullptr;
    }
    if (!it->second.instance) {
      fail("module " + *id + " (line " + std::to_string(it->second.line) +
           ") failed to instantiate");
      return nullptr;
    }
    return it->second.instance;
  }

  void register_module(const std::string& as, const std::optional<std::string>& id) {
    Instance* instance = find_instance(id);
    if (!instance) return;
    linker_.define_instance(as, *instance);
    pass();
  }

  /// What an action came to: its results, or the trap (or other error) it ended with.
  /// nullopt when it could not be run at all (already reported as a failure).
  std::optional<Result<std::vector<Value>>> perform(const Action& action) {
    Instance* instance = find_instance(action.module);
    if (!instance) return std::nullopt;
    const std::string where = module_label(action.module);
    auto found = instance->find_export(action.field);
    if (!found) {
      fail(where + " has no export \"" + action.field + "\"");
      return std::nullopt;
    }
    if (action.kind == Action::Kind::Get) {
      if (found->kind != ExternKind::Global) {
        fail("export \"" + action.field + "\" of " + where + " is not a global");
        return std::nullopt;
      }
      ++tally_.actions_run;
      return Result<std::vector<Value>>(std::vector<Value>{found->global->value});
    }
    if (found->kind != ExternKind::Func) {
      fail("export \"" + action.field + "\" of " + where + " is not a function");
      return std::nullopt;
    }
    std::vector<Value> args;
    args.reserve(action.args.size());
    for (const wast::Value& arg : action.args) {
      auto value = to_runtime_value(arg);
      if (!value) {
        fail("an argument of \"" + action.field + "\" has no runtime value");
        return std::nullopt;
      }
      args.push_back(*value);
    }
    ++tally_.actions_run;
    return invoke(store_, *found->func, args);
  }

  std::string action_label(const Action& action) const {
    return (action.kind == Action::Kind::Get ? "get \"" : "invoke \"") + action.field + "\"";
  }

  void run_action(const Action& action) {
    auto outcome = perform(action);
    if (!outcome) return;
    if (!*outcome) {
      fail(action_label(action) + " failed (" + kind_name(outcome->error().kind) +
           "): " + outcome->error().message);
      return;
    }
    pass();
  }

  void expect_return(const Action& action, const std::vector<wast::Expected>& expected) {
    auto outcome = perform(action);
    if (!outcome) return;
    if (!*outcome) {
      fail(action_label(action) + " failed (" + kind_name(outcome->error().kind) + " \"" +
           outcome->error().message + "\"), expected " + describe(expected));
      return;
    }
    const std::vector<Value>& results = **outcome;
    bool same = results.size() == expected.size();
    for (size_t i = 0; same && i < results.size(); ++i) same = matches(results[i], expected[i]);
    if (!same) {
      fail(action_label(action) + " returned " + describe(results, expected) + ", expected " +
           describe(expected));
      return;
    }
    pass();
  }

  /// assert_trap with an action, and assert_exhaustion: a trap whose message starts with
  /// the script's text.
  void expect_trap(const Action& action, const std::string& expected_message) {
    auto outcome = perform(action);
    if (!outcome) return;
    if (*outcome) {
      fail(action_label(action) + " returned " + describe(**outcome) + ", expected trap \"" +
           expected_message + "\"");
      return;
    }
    const Error& error = outcome->error();
    if (error.kind != ErrorKind::Trap || !trap_message_matches(error.message, expected_message)) {
      fail(action_label(action) + " failed as " + kind_name(error.kind) + " \"" +
           error.message + "\", expected trap \"" + expected_message + "\"");
      return;
    }
    pass();
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
    pass();
    ++(expected_kind == ErrorKind::Malformed ? tally_.malformed_rejected
                                             : tally_.invalid_rejected);
  }

  /// A named module and the line that defined it (instance null if that failed).
  struct Defined {
    Instance* instance = nullptr;
    size_t line = 0;
  };

  const std::string& name_;
  const RunnerOptions& options_;
  std::FILE* report_;
  Tally tally_;
  size_t line_ = 0;
  Command::Kind kind_ = Command::Kind::Module;

  Engine engine_;
  Store store_;
  Linker linker_;
  Instance* current_ = nullptr;  ///< the latest module, the default for actions
  size_t current_line_ = 0;      ///< where the latest module was defined (0: none yet)
  std::map<std::string, Defined, std::less<>> named_;
};

}  // namespace

Tally& Tally::operator+=(const Tally& other) {
  passed += other.passed;
  failed += other.failed;
  skipped += other.skipped;
  message_mismatches += other.message_mismatches;
  modules_instantiated += other.modules_instantiated;
  actions_run += other.actions_run;
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
