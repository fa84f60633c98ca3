// Tables (spec 4.2.7): a vector of references that grows up to the effective maximum
// (the declared max, capped by StoreLimits::max_table_elements).
#include <algorithm>
#include <memory>
#include <new>

#include "runtime/store.h"

namespace kiln {

uint32_t TableInstance::grow(uint32_t delta, Ref init) {
  const uint64_t old_size = elements.size();
  const uint64_t new_size = old_size + delta;
  if (new_size > max) return 0xffffffffu;
  try {
    elements.resize(static_cast<size_t>(new_size), init);
  } catch (const std::bad_alloc&) {
    return 0xffffffffu;
  }
  return static_cast<uint32_t>(old_size);
}

TableInstance* Store::add_table(TableType type, Ref init) {
  const uint64_t declared_max = type.limits.max.value_or(0xffffffffu);
  const uint64_t max = std::min<uint64_t>({declared_max, 0xffffffffu, limits_.max_table_elements});
  if (type.limits.min > max) return nullptr;
  auto table = std::make_unique<TableInstance>();
  table->type = type;
  table->max = max;
  table->elements.assign(static_cast<size_t>(type.limits.min), init);
  tables_.push_back(std::move(table));
  return tables_.back().get();
}

}  // namespace kiln
