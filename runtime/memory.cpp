// Linear memories on guard-page reservations (DESIGN decision 4): each memory reserves
// 8 GiB of address space once, so `base` never moves and any 32-bit address plus 32-bit
// offset lands inside the reservation; growing opens more of it read-write.
#include <algorithm>
#include <memory>

#include "runtime/memory_fault.h"
#include "runtime/store.h"
#include "runtime/virtual_memory.h"

namespace kiln {

namespace {

constexpr uint64_t kPageSize = 65536;
/// 4 GiB of addressable memory plus 4 GiB of guard for the largest static offset.
constexpr uint64_t kGuardedReservation = uint64_t{8} << 30;
/// The 32-bit page limit (4 GiB).
constexpr uint64_t kMaxPages32 = 65536;

}  // namespace

uint32_t MemoryInstance::grow(uint32_t delta_pages) {
  const uint64_t old_pages = pages();
  const uint64_t new_pages = old_pages + delta_pages;
  if (new_pages > max_pages) return 0xffffffffu;
  const uint64_t new_size = new_pages * kPageSize;
  if (new_size > reserved) return 0xffffffffu;
  if (!vm::make_accessible(base, size, new_size)) return 0xffffffffu;
  size = new_size;
  return static_cast<uint32_t>(old_pages);
}

MemoryInstance::~MemoryInstance() {
  if (base != nullptr) {
    unregister_memory_reservation(base);
    vm::release(base, reserved);
  }
}

Result<MemoryInstance*> Store::add_memory(MemoryType type) {
  const uint64_t declared_max = type.limits.max.value_or(kMaxPages32);
  const uint64_t max_pages = std::min({declared_max, kMaxPages32, limits_.max_memory_pages});
  if (type.limits.min > max_pages) {
    return Error{ErrorKind::Other, 0, "memory size exceeds the store's limit"};
  }
  auto memory = std::make_unique<MemoryInstance>();
  memory->type = type;
  memory->max_pages = max_pages;
  // Where 8 GiB of address space cannot be had (ulimit -v, 32-bit hosts), reserve exactly
  // the most the memory can grow to; compiled code must then check bounds explicitly
  // (reserved < 8 GiB says so). A zero-page memory still gets a real, inaccessible page so
  // that `base` is never null.
  memory->reserved = kGuardedReservation;
  memory->base = vm::reserve(memory->reserved);
  if (memory->base == nullptr) {
    memory->reserved = std::max<uint64_t>(max_pages * kPageSize, kPageSize);
    memory->base = vm::reserve(memory->reserved);
  }
  if (memory->base == nullptr) {
    return Error{ErrorKind::Other, 0, "cannot reserve address space for a memory"};
  }
  register_memory_reservation(memory->base, memory->reserved);
  const uint64_t size = type.limits.min * kPageSize;
  if (!vm::make_accessible(memory->base, 0, size)) {
    return Error{ErrorKind::Other, 0, "cannot commit a memory's initial pages"};
  }
  memory->size = size;
  memories_.push_back(std::move(memory));
  return memories_.back().get();
}

}  // namespace kiln
