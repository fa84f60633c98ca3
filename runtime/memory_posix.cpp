// POSIX address-space reservations (virtual_memory.h): mmap PROT_NONE with MAP_NORESERVE,
// mprotect to open a prefix, munmap to give the whole reservation back.
#include <sys/mman.h>

#include "runtime/virtual_memory.h"

namespace kiln::vm {

uint8_t* reserve(uint64_t bytes) {
  void* p = mmap(nullptr, static_cast<size_t>(bytes), PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
}

bool make_accessible(uint8_t* base, uint64_t from, uint64_t to) {
  if (to <= from) return true;
  return mprotect(base + from, static_cast<size_t>(to - from), PROT_READ | PROT_WRITE) == 0;
}

void release(uint8_t* base, uint64_t bytes) {
  if (base != nullptr) munmap(base, static_cast<size_t>(bytes));
}

}  // namespace kiln::vm
