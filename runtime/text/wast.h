// The WAST script format of the spec test suite: modules, actions and assertions. The
// parser records modules as text or bytes; turning them into binaries and running them is
// the runner's job, so that a malformed module fails its own command, not the whole file.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/result.h"
#include "runtime/value_type.h"

namespace kiln::wast {

/// A module as the script writes it.
struct ScriptModule {
  enum class Form : uint8_t { Text, Binary, Quote };
  Form form = Form::Text;
  std::optional<std::string> name;  ///< `$id` after `module`, if any
  /// Text: the whole `(module ...)` form, verbatim. Quote: the strings joined by a space
  /// (like the reference interpreter, either a `(module ...)` form or bare fields; both are
  /// what wat_to_binary accepts). Binary: empty.
  std::string text;
  std::vector<uint8_t> binary;  ///< Binary: the concatenated strings' bytes
  size_t offset = 0;            ///< where the form starts in the script
};

/// A constant argument or an exact expected result.
struct Value {
  ValType type = ValType::I32;
  uint64_t bits = 0;                    ///< i32/i64/f32/f64 bits (f32 in the low 32)
  std::array<uint8_t, 16> v128{};       ///< v128 bytes, little-endian lane order
  bool is_null = false;                 ///< ref.null funcref / ref.null extern
  uint32_t extern_id = 0;               ///< ref.extern N (type ExternRef, !is_null)
};

/// One expected result of assert_return.
struct Expected {
  enum class Kind : uint8_t {
    Exact,          ///< `value` bit for bit
    NanCanonical,   ///< f32/f64 canonical NaN (either sign)
    NanArithmetic,  ///< f32/f64 arithmetic NaN (quiet bit set)
    RefFunc,        ///< any non-null funcref (`ref.func` without index)
    RefExtern,      ///< any non-null externref (`ref.extern` without index, Wasm 3.0)
    V128Lanes,      ///< v128 checked lane by lane (float lanes may hold NaN patterns)
  };
  Kind kind = Kind::Exact;
  Value value;
  /// V128Lanes: lane shape ("f32x4" or "f64x2") and per lane Exact/NanCanonical/NanArithmetic
  /// with that lane's bits in `lane_bits`.
  ValType lane_type = ValType::F32;
  std::vector<Kind> lane_kinds;
  std::vector<uint64_t> lane_bits;
};

struct Action {
  enum class Kind : uint8_t { Invoke, Get };
  Kind kind = Kind::Invoke;
  std::optional<std::string> module;  ///< `$id` of a defined module, or the latest
  std::string field;                  ///< export name (decoded string)
  std::vector<Value> args;
};

struct Command {
  enum class Kind : uint8_t {
    Module,                ///< define (and instantiate) a module
    Register,              ///< (register "name" $id?)
    Action,                ///< a bare (invoke ...) or (get ...)
    AssertReturn,
    AssertTrap,            ///< with an action, or with a module (trap during instantiation)
    AssertExhaustion,
    AssertMalformed,
    AssertInvalid,
    AssertUnlinkable,
    AssertUninstantiable,
  };
  Kind kind = Kind::Module;
  size_t line = 0;  ///< 1-based line of the command in the script
  std::optional<ScriptModule> module;  ///< Module and assertions about a module
  std::optional<Action> action;        ///< Action, AssertReturn/Trap/Exhaustion
  std::vector<Expected> expected;      ///< AssertReturn
  std::string message;                 ///< expected failure text of assertions
  std::string register_as;             ///< Register: the name
  std::optional<std::string> register_module;  ///< Register: `$id`, or the latest module
};

struct Script {
  std::vector<Command> commands;
};

/// Parses a whole .wast script. Fails only on script-level syntax errors; a module that does
/// not parse is kept as text and rejected when the runner encodes it.
Result<Script> parse_script(std::string_view source);

}  // namespace kiln::wast
