// Resolving a module's imports by module and field name (spec 4.5.4 "external values"),
// and the `spectest` host module the spec suite links against.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "runtime/store.h"

namespace kiln {

class Linker {
 public:
  /// Makes `value` importable as `module`.`name` (a later definition replaces it).
  void define(std::string module, std::string name, Extern value);
  /// Makes every export of `instance` importable under `module` (the WAST `register`).
  void define_instance(const std::string& module, const Instance& instance);

  /// The externs for `module`'s imports in order; Unlinkable "unknown import" naming the
  /// missing one. Types are checked by instantiate().
  Result<std::vector<Extern>> resolve(const Module& module) const;

  /// Resolves and instantiates.
  Result<Instance*> instantiate(Store& store, std::shared_ptr<const Module> module) const;

 private:
  std::map<std::pair<std::string, std::string>, Extern> definitions_;
};

/// Defines the `spectest` module in `linker`, with objects owned by `store`: print,
/// print_i32, print_i64, print_f32, print_f64, print_i32_f32, print_f64_f64 (printing to
/// stdout), global_i32 (666), global_i64 (666), global_f32 (666.6), global_f64 (666.6),
/// table (10..20 funcref), memory (1..2 pages).
void define_spectest(Store& store, Linker& linker);

}  // namespace kiln
