// invoke (spec 4.5.5): checks a host's arguments against the function's type, then runs a
// host function directly or hands a wasm function to the interpreter.
#include <utility>

#include "runtime/interp/interpreter.h"
#include "runtime/store.h"

namespace kiln {

namespace {

Status check_arguments(const FuncType& type, std::span<const Value> args) {
  if (args.size() != type.params.size()) {
    return Error{ErrorKind::Other, 0,
                 "type mismatch: expected " + std::to_string(type.params.size()) +
                     " arguments, got " + std::to_string(args.size())};
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type != type.params[i]) {
      return Error{ErrorKind::Other, 0,
                   "type mismatch: argument " + std::to_string(i) + " is " +
                       std::string(val_type_name(args[i].type)) + ", expected " +
                       std::string(val_type_name(type.params[i]))};
    }
  }
  return Ok{};
}

}  // namespace

Result<std::vector<Value>> invoke(Store& store, FuncInstance& function,
                                  std::span<const Value> args) {
  auto checked = check_arguments(function.type, args);
  if (!checked) return std::move(checked).error();
  std::vector<Value> results;
  results.reserve(function.type.results.size());
  for (ValType type : function.type.results) results.push_back(Value::zero(type));

  if (function.is_host()) {
    HostContext context{store, nullptr};
    auto status = function.host(context, args, results);
    if (!status) {
      Error error = std::move(status).error();
      // A trap from wasm code the host called keeps its code; anything else is the host's.
      if (error.kind != ErrorKind::Trap || error.trap == TrapCode::None) {
        error.kind = ErrorKind::Trap;
        error.trap = TrapCode::Host;
      }
      return error;
    }
    return results;
  }
  auto status = interp::call(store, function, args, results);
  if (!status) return std::move(status).error();
  return results;
}

}  // namespace kiln
