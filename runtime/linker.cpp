// The linker: a map from (module, name) to externs, filled by hosts and by WAST `register`,
// that resolves a module's imports in order.
#include <utility>

#include "runtime/linker.h"

namespace kiln {

void Linker::define(std::string module, std::string name, Extern value) {
  definitions_[{std::move(module), std::move(name)}] = value;
}

void Linker::define_instance(const std::string& module, const Instance& instance) {
  for (const auto& [name, value] : instance.exports) define(module, name, value);
}

Result<std::vector<Extern>> Linker::resolve(const Module& module) const {
  std::vector<Extern> externs;
  externs.reserve(module.imports.size());
  for (const Import& import : module.imports) {
    auto it = definitions_.find({import.module, import.name});
    if (it == definitions_.end()) {
      return Error{ErrorKind::Unlinkable, 0,
                   "unknown import \"" + import.module + "\" \"" + import.name + "\""};
    }
    externs.push_back(it->second);
  }
  return externs;
}

Result<Instance*> Linker::instantiate(Store& store, std::shared_ptr<const Module> module) const {
  auto externs = resolve(*module);
  if (!externs) return std::move(externs).error();
  return kiln::instantiate(store, std::move(module), *externs);
}

}  // namespace kiln
