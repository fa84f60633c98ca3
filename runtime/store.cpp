// The store's allocation of functions, globals and instances, and the instance lookups.
// Memories are allocated in memory.cpp and tables in table.cpp.
#include <memory>
#include <utility>

#include "runtime/store.h"

namespace kiln {

FuncInstance* Store::add_host_function(FuncType type, HostFunction host) {
  auto function = std::make_unique<FuncInstance>();
  function->type = std::move(type);
  function->host = std::move(host);
  funcs_.push_back(std::move(function));
  return funcs_.back().get();
}

FuncInstance* Store::add_function(FuncInstance function) {
  funcs_.push_back(std::make_unique<FuncInstance>(std::move(function)));
  return funcs_.back().get();
}

GlobalInstance* Store::add_global(GlobalType type, Value value) {
  auto global = std::make_unique<GlobalInstance>();
  global->type = type;
  global->value = value;
  global->value.type = type.type;
  globals_.push_back(std::move(global));
  return globals_.back().get();
}

Instance* Store::add_instance(std::unique_ptr<Instance> instance) {
  instances_.push_back(std::move(instance));
  return instances_.back().get();
}

std::optional<Extern> Instance::find_export(std::string_view name) const {
  auto it = exports.find(name);
  if (it == exports.end()) return std::nullopt;
  return it->second;
}

std::string Instance::function_name(uint32_t index) const {
  if (!module) return {};
  auto it = module->names.functions.find(index);
  return it == module->names.functions.end() ? std::string() : it->second;
}

}  // namespace kiln
