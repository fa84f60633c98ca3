// The interpreter tier: runs wasm functions, translating each one on its first call.
#pragma once

#include <span>

#include "runtime/result.h"
#include "runtime/store.h"
#include "runtime/value.h"

namespace kiln::interp {

/// Runs the wasm function `function` (not a host function) with `args` (already checked
/// against its type) and writes its results into `results` (sized to the result count).
/// Traps, stack exhaustion, interruption and fuel exhaustion come back as Error{Trap} with
/// the spec message and a wasm backtrace. Calls to host functions and to other instances'
/// functions happen inside.
Status call(Store& store, FuncInstance& function, std::span<const Value> args,
            std::span<Value> results);

}  // namespace kiln::interp
