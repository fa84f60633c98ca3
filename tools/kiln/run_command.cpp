// `kiln run [options] FILE [--invoke NAME] [ARGS...]`: instantiate a module (no imports
// yet: WASI comes later), call one export with arguments parsed by its parameter types,
// print each result on its own line. A trap prints its message and the wasm backtrace.
// Exit status: 0 success, 1 the module failed (load, link, trap), 2 bad usage.
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "runtime/decoder.h"
#include "runtime/linker.h"
#include "runtime/module_source.h"
#include "runtime/store.h"
#include "runtime/text/wat.h"
#include "tools/kiln/commands.h"

namespace kiln::cli {
namespace {

struct RunOptions {
  std::string file;
  std::optional<std::string> invoke;
  std::vector<std::string> args;
  std::optional<uint64_t> fuel;
  std::optional<double> timeout_seconds;
};

/// `text` as an unsigned decimal or 0x-hex number, with an optional sign; nullopt if it is
/// not one (or does not fit 64 bits).
std::optional<std::pair<bool, uint64_t>> parse_integer(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    unsigned digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<unsigned>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
    if (value > (UINT64_MAX - digit) / static_cast<unsigned>(base)) return std::nullopt;
    value = value * static_cast<unsigned>(base) + digit;
  }
  return std::pair{negative, value};
}

/// An integer argument of `bits` width: signed (down to -2^(bits-1)) or unsigned (up to
/// 2^bits - 1), as its two's-complement bits.
std::optional<uint64_t> parse_int_arg(std::string_view text, unsigned bits) {
  auto parsed = parse_integer(text);
  if (!parsed) return std::nullopt;
  const auto [negative, magnitude] = *parsed;
  const uint64_t mask = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  if (negative) {
    if (magnitude > (uint64_t{1} << (bits - 1))) return std::nullopt;
    return (~magnitude + 1) & mask;
  }
  if (magnitude > mask) return std::nullopt;
  return magnitude;
}

/// A float argument: what strtod accepts (decimal, hex float, inf, nan), whole.
template <typename F>
std::optional<F> parse_float_arg(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text[0]))) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  F value;
  if constexpr (sizeof(F) == 4) {
    value = std::strtof(text.c_str(), &end);
  } else {
    value = std::strtod(text.c_str(), &end);
  }
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;  // overflow is infinity and underflow zero or subnormal, as in wasm text
}

/// Arguments parsed by the function's parameter types, or a usage message.
Result<std::vector<Value>> parse_args(const std::string& name, const FuncType& type,
                                      const std::vector<std::string>& args) {
  auto usage = [](std::string message) { return Error{ErrorKind::Other, 0, std::move(message)}; };
  if (args.size() != type.params.size()) {
    return usage("run: '" + name + "' takes " + std::to_string(type.params.size()) +
                 " argument" + (type.params.size() == 1 ? "" : "s") + ", " +
                 std::to_string(args.size()) + " given");
  }
  std::vector<Value> values;
  for (size_t i = 0; i < args.size(); ++i) {
    const ValType param = type.params[i];
    const std::string& text = args[i];
    const std::string what = "run: argument " + std::to_string(i + 1) + " of '" + name + "'";
    std::optional<Value> value;
    switch (param) {
      case ValType::I32:
        if (auto bits = parse_int_arg(text, 32)) value = Value::i32(static_cast<uint32_t>(*bits));
        break;
      case ValType::I64:
        if (auto bits = parse_int_arg(text, 64)) value = Value::i64(*bits);
        break;
      case ValType::F32:
        if (auto f = parse_float_arg<float>(text)) value = Value::f32(*f);
        break;
      case ValType::F64:
        if (auto d = parse_float_arg<double>(text)) value = Value::f64(*d);
        break;
      case ValType::V128:
      case ValType::FuncRef:
      case ValType::ExternRef:
        return usage(what + " is a " + std::string(val_type_name(param)) +
                     ", which kiln run cannot pass from the command line");
    }
    if (!value) {
      return usage(what + " must be an " + std::string(val_type_name(param)) + ", not '" +
                   text + "'");
    }
    values.push_back(*value);
  }
  return values;
}

void print_result(const Value& value) {
  switch (value.type) {
    case ValType::I32: std::printf("%" PRId32 "\n", static_cast<int32_t>(value.as_i32())); break;
    case ValType::I64: std::printf("%" PRId64 "\n", static_cast<int64_t>(value.as_i64())); break;
    case ValType::F32: {
      float f;
      const uint32_t bits = value.as_i32();
      std::memcpy(&f, &bits, 4);
      std::printf("%.9g\n", static_cast<double>(f));
      break;
    }
    case ValType::F64: {
      double d;
      std::memcpy(&d, &value.bits, 8);
      std::printf("%.17g\n", d);
      break;
    }
    case ValType::V128:
      std::printf("0x%016" PRIx64 "%016" PRIx64 "\n", value.high, value.bits);
      break;
    case ValType::FuncRef: std::puts(value.ref ? "ref.func" : "ref.null func"); break;
    case ValType::ExternRef: std::puts(value.ref ? "ref.extern" : "ref.null extern"); break;
  }
}

bool same_frame(const BacktraceFrame& a, const BacktraceFrame& b) {
  return a.func_index == b.func_index && a.code_offset == b.code_offset;
}

/// "kiln: trap: <message>" and one "  at #N <name> @0xOFF" line per wasm frame, innermost
/// first. A run of identical frames (deep recursion: thousands of them) is one line and a
/// count, and past kMaxLines lines the middle of the stack is left out.
void print_trap(const Error& error) {
  constexpr size_t kMaxLines = 40;
  std::fprintf(stderr, "kiln: trap: %s\n", error.message.c_str());
  const std::vector<BacktraceFrame>& frames = error.backtrace;
  // Each line: the frame that starts a run, and how many identical frames follow it.
  std::vector<std::pair<size_t, size_t>> lines;
  for (size_t i = 0; i < frames.size();) {
    size_t j = i + 1;
    while (j < frames.size() && same_frame(frames[i], frames[j])) ++j;
    lines.emplace_back(i, j - i - 1);
    i = j;
  }
  for (size_t line = 0; line < lines.size(); ++line) {
    if (lines.size() > kMaxLines && line == kMaxLines - 10) {
      const size_t skip_to = lines.size() - 10;
      std::fprintf(stderr, "  ... %zu frames left out\n",
                   lines[skip_to].first - lines[line].first);
      line = skip_to;
    }
    const auto [index, repeats] = lines[line];
    const BacktraceFrame& frame = frames[index];
    const std::string name =
        frame.name.empty() ? "func[" + std::to_string(frame.func_index) + "]" : frame.name;
    std::fprintf(stderr, "  at #%zu %s @0x%zx\n", index, name.c_str(), frame.code_offset);
    if (repeats > 0) {
      std::fprintf(stderr, "  ... the frame above repeats %zu more time%s (#%zu to #%zu)\n",
                   repeats, repeats == 1 ? "" : "s", index + 1, index + repeats);
    }
  }
}

/// Calls engine.interrupt() once the deadline passes, unless stopped first. The destructor
/// stops and joins it, so it never outlives the call nor holds the process at exit.
class Watchdog {
 public:
  Watchdog(Engine& engine, double seconds)
      : thread_([this, &engine, seconds] {
          std::unique_lock lock(mutex_);
          const auto deadline = std::chrono::steady_clock::now() +
                                std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                    std::chrono::duration<double>(seconds));
          if (!stopped_.wait_until(lock, deadline, [this] { return stop_; })) engine.interrupt();
        }) {}
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  ~Watchdog() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    stopped_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable stopped_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the members it uses exist
};

/// Parses the command line; nullopt after a usage error (whose status is in `status`).
std::optional<RunOptions> parse_command_line(Args args, int& status) {
  RunOptions options;
  auto bad = [&status](const std::string& message) -> std::optional<RunOptions> {
    status = usage_error(message);
    return std::nullopt;
  };
  bool have_file = false;
  bool only_args = false;
  auto value_of = [&](size_t& i, std::string_view arg, std::string_view option,
                      std::string& out) -> bool {
    if (arg.size() > option.size() && arg[option.size()] == '=') {
      out = std::string(arg.substr(option.size() + 1));
      return true;
    }
    if (i + 1 >= args.size()) return false;
    out = args[++i];
    return true;
  };
  auto is_option = [](std::string_view arg, std::string_view option) {
    return arg == option || (arg.starts_with(option) && arg[option.size()] == '=');
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    std::string value;
    if (!only_args && arg == "--") {
      only_args = true;
    } else if (!only_args && is_option(arg, "--invoke")) {
      if (!value_of(i, arg, "--invoke", value)) return bad("run: --invoke needs a NAME");
      options.invoke = value;
    } else if (!only_args && is_option(arg, "--fuel")) {
      std::optional<uint64_t> fuel;
      if (value_of(i, arg, "--fuel", value)) {
        auto parsed = parse_integer(value);
        if (parsed && !parsed->first) fuel = parsed->second;
      }
      if (!fuel) return bad("run: --fuel needs a count N >= 0");
      options.fuel = fuel;
    } else if (!only_args && is_option(arg, "--timeout")) {
      std::optional<double> seconds;
      if (value_of(i, arg, "--timeout", value)) {
        char* end = nullptr;
        const double parsed = std::strtod(value.c_str(), &end);
        if (!value.empty() && end == value.c_str() + value.size() && parsed > 0 &&
            parsed < 1e9) {
          seconds = parsed;
        }
      }
      if (!seconds) return bad("run: --timeout needs a number of SECONDS > 0");
      options.timeout_seconds = seconds;
    } else if (!only_args && arg.size() > 1 && arg[0] == '-' &&
               !(std::isdigit(static_cast<unsigned char>(arg[1])) || arg[1] == '.' ||
                 arg == "-inf" || arg == "-nan" || arg == "-infinity")) {
      return bad("run: unknown option '" + std::string(arg) + "'");
    } else if (!have_file) {
      options.file = arg;
      have_file = true;
    } else {
      options.args.emplace_back(arg);
    }
  }
  if (!have_file) return bad("run needs a module: kiln run FILE --invoke NAME [ARGS...]");
  return options;
}

/// The module in `path`, decoded and validated, or nullptr after printing why not.
std::shared_ptr<const Module> load(const std::string& path) {
  auto bytes = load_module_binary(path);
  if (!bytes) {
    const Error& error = bytes.error();
    if (error.kind == ErrorKind::Io) {
      std::fprintf(stderr, "kiln: %s\n", error.message.c_str());
    } else {
      auto text = read_file(path);
      const std::string where =
          text ? line_column(std::string_view(reinterpret_cast<const char*>(text->data()),
                                              text->size()),
                             error.offset)
               : std::to_string(error.offset);
      std::fprintf(stderr, "%s:%s: error: %s\n", path.c_str(), where.c_str(),
                   error.message.c_str());
    }
    return nullptr;
  }
  auto module = decode_module(*bytes);
  if (!module) {
    const Error& error = module.error();
    std::fprintf(stderr, "%s:@0x%zx: error: %s%s\n", path.c_str(), error.offset,
                 error.kind == ErrorKind::Invalid ? "invalid module: " : "malformed module: ",
                 error.message.c_str());
    return nullptr;
  }
  return std::move(module).value();
}

const char* extern_kind_name(ExternKind kind) {
  switch (kind) {
    case ExternKind::Func: return "function";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
  }
  return "?";
}

const FuncType& function_type(const Module& module, uint32_t index) {
  if (index < module.imported_funcs) {
    uint32_t seen = 0;
    for (const Import& import : module.imports) {
      if (import.kind != ExternKind::Func) continue;
      if (seen++ == index) return module.types[import.func_type];
    }
  }
  return module.types[module.functions[index - module.imported_funcs].type_index];
}

/// The exported functions, for the message when NAME is not one of them.
std::string exported_functions(const Module& module) {
  std::string names;
  for (const Export& e : module.exports) {
    if (e.kind != ExternKind::Func) continue;
    names += names.empty() ? "" : ", ";
    names += e.name;
  }
  return names.empty() ? "none" : names;
}

}  // namespace

int run_command(Args args) {
  int status = 0;
  auto options = parse_command_line(args, status);
  if (!options) return status;

  std::shared_ptr<const Module> module = load(options->file);
  if (!module) return 1;

  // The export to call: --invoke NAME, else a command's _start.
  const std::string name = options->invoke.value_or("_start");
  const Export* target = nullptr;
  for (const Export& e : module->exports) {
    if (e.name == name) target = &e;
  }
  if (!target || target->kind != ExternKind::Func) {
    const std::string problem =
        !target ? "exports no function '" + name + "'"
                : "exports '" + name + "' as a " + extern_kind_name(target->kind) +
                      ", not a function";
    return usage_error("run: " + options->file + " " + problem +
                       (options->invoke ? "" : " (use --invoke NAME)") +
                       "; its exported functions: " + exported_functions(*module));
  }
  // Arguments are checked before anything runs (a start function included).
  auto call_args = parse_args(name, function_type(*module, target->index), options->args);
  if (!call_args) return usage_error(call_args.error().message);

  // No host functions yet: any import is unresolved (WASI comes in a later issue).
  if (!module->imports.empty()) {
    const Import& import = module->imports.front();
    std::fprintf(stderr,
                 "kiln: %s: unknown import \"%s\" \"%s\" (a %s): kiln run provides no imports "
                 "yet (WASI is not implemented)\n",
                 options->file.c_str(), import.module.c_str(), import.name.c_str(),
                 extern_kind_name(import.kind));
    return 1;
  }

  Engine engine;
  Store store(engine);
  store.fuel = options->fuel;
  std::optional<Watchdog> watchdog;
  if (options->timeout_seconds) watchdog.emplace(engine, *options->timeout_seconds);

  Linker linker;
  auto instance = linker.instantiate(store, module);
  if (!instance) {
    const Error& error = instance.error();
    if (error.kind == ErrorKind::Trap) {
      print_trap(error);
    } else {
      std::fprintf(stderr, "kiln: %s: cannot instantiate: %s\n", options->file.c_str(),
                   error.message.c_str());
    }
    return 1;
  }
  FuncInstance* function = (*instance)->find_export(name)->func;
  auto results = invoke(store, *function, *call_args);
  watchdog.reset();  // stop the clock before printing
  if (!results) {
    if (results.error().kind == ErrorKind::Trap) {
      print_trap(results.error());
    } else {
      std::fprintf(stderr, "kiln: %s\n", results.error().message.c_str());
    }
    return 1;
  }
  for (const Value& value : *results) print_result(value);
  return 0;
}

}  // namespace kiln::cli
