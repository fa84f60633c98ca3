// Address-space reservations for linear memories: reserve inaccessible address space, make
// a prefix of it read-write, give it back. Implemented per platform (memory_posix.cpp);
// memory.cpp builds MemoryInstance on top.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kiln::vm {

/// Reserves `bytes` (a multiple of the page size) of inaccessible address space without
/// committing memory; null when the address space is not available.
uint8_t* reserve(uint64_t bytes);
/// Makes [base + from, base + to) of a reservation readable and writable; false on failure.
bool make_accessible(uint8_t* base, uint64_t from, uint64_t to);
/// Returns a whole reservation.
void release(uint8_t* base, uint64_t bytes);

}  // namespace kiln::vm
