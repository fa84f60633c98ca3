// Turning faults in linear memory into traps (DESIGN decision 4): a registry of memory
// reservations that a signal handler can read, and a way to run code so that a fault
// inside a live reservation returns to the caller instead of killing the process.
// The interpreter checks bounds explicitly; compiled code will rely on this.
#pragma once

#include <cstdint>

namespace kiln {

/// Records [base, base + bytes) as a memory reservation (memory.cpp does, per memory).
/// Readable from a signal handler. At most kMaxMemoryReservations at once; beyond that a
/// reservation is not recorded and a fault in it is not caught (returns false then).
bool register_memory_reservation(const uint8_t* base, uint64_t bytes);
void unregister_memory_reservation(const uint8_t* base);
/// Whether `address` lies inside a recorded reservation (async-signal-safe).
bool is_in_memory_reservation(const void* address);

inline constexpr int kMaxMemoryReservations = 16384;  // 128 TiB of 8 GiB reservations

/// Installs the SIGSEGV/SIGBUS handler if it is not the current one, keeping the handler it
/// replaces: faults that are not inside a reservation, or that happen outside
/// run_catching_memory_faults, go to that previous handler (or the default action).
void install_memory_fault_handler();

/// Runs fn(arg) and returns true, or returns false if fn faulted on an address inside a
/// live memory reservation (fn is abandoned at the fault: it must own nothing that needs
/// destructors). Nests; installs the handler on first use.
bool run_catching_memory_faults(void (*fn)(void*), void* arg);

}  // namespace kiln
