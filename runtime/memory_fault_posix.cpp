// POSIX side of memory_fault.h: the reservation registry (a fixed array of atomics, so the
// signal handler reads it without locks), and a SIGSEGV/SIGBUS handler that siglongjmps
// back into run_catching_memory_faults or chains to the handler installed before it.
#include <setjmp.h>
#include <signal.h>

#include <atomic>
#include <cstdint>
#include <mutex>

#include "runtime/memory_fault.h"

namespace kiln {

namespace {

/// One registry slot: base 0 is free, 1 is being written; `end` is valid once base > 1.
struct ReservationSlot {
  std::atomic<uintptr_t> base{0};
  std::atomic<uintptr_t> end{0};
};
static_assert(std::atomic<uintptr_t>::is_always_lock_free);

ReservationSlot g_slots[kMaxMemoryReservations];
/// One past the highest slot ever used, so lookups scan only that far.
std::atomic<int> g_slot_limit{0};

constexpr uintptr_t kFree = 0;
constexpr uintptr_t kClaimed = 1;

/// The jump buffer of this thread's innermost run_catching_memory_faults, or null.
thread_local sigjmp_buf* t_catch = nullptr;

std::mutex g_install_mutex;
struct sigaction g_previous_segv;
struct sigaction g_previous_bus;

void chain(int signal, siginfo_t* info, void* context) {
  const struct sigaction& previous = signal == SIGBUS ? g_previous_bus : g_previous_segv;
  if (previous.sa_flags & SA_SIGINFO) {
    previous.sa_sigaction(signal, info, context);
    return;
  }
  if (previous.sa_handler == SIG_DFL || previous.sa_handler == SIG_IGN) {
    // Restore the default action and return: the faulting instruction runs again and the
    // process ends as it would have without us.
    struct sigaction default_action {};
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    sigaction(signal, &default_action, nullptr);
    return;
  }
  previous.sa_handler(signal);
}

void handle_fault(int signal, siginfo_t* info, void* context) {
  sigjmp_buf* target = t_catch;
  if (target != nullptr && is_in_memory_reservation(info->si_addr)) {
    siglongjmp(*target, 1);
  }
  chain(signal, info, context);
}

bool is_installed(int signal) {
  struct sigaction current {};
  sigaction(signal, nullptr, &current);
  return (current.sa_flags & SA_SIGINFO) && current.sa_sigaction == handle_fault;
}

void install(int signal, struct sigaction& previous) {
  if (is_installed(signal)) return;
  struct sigaction action {};
  action.sa_sigaction = handle_fault;
  action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&action.sa_mask);
  sigaction(signal, &action, &previous);
}

std::atomic<bool> g_installed_once{false};

}  // namespace

bool register_memory_reservation(const uint8_t* base, uint64_t bytes) {
  const auto begin = reinterpret_cast<uintptr_t>(base);
  for (int i = 0; i < kMaxMemoryReservations; ++i) {
    uintptr_t expected = kFree;
    if (!g_slots[i].base.compare_exchange_strong(expected, kClaimed, std::memory_order_acquire)) {
      continue;
    }
    g_slots[i].end.store(begin + bytes, std::memory_order_relaxed);
    g_slots[i].base.store(begin, std::memory_order_release);
    int limit = g_slot_limit.load(std::memory_order_relaxed);
    while (limit < i + 1 &&
           !g_slot_limit.compare_exchange_weak(limit, i + 1, std::memory_order_release)) {
    }
    return true;
  }
  return false;
}

void unregister_memory_reservation(const uint8_t* base) {
  const auto begin = reinterpret_cast<uintptr_t>(base);
  const int limit = g_slot_limit.load(std::memory_order_acquire);
  for (int i = 0; i < limit; ++i) {
    uintptr_t expected = begin;
    if (g_slots[i].base.compare_exchange_strong(expected, kFree, std::memory_order_release)) {
      return;
    }
  }
}

bool is_in_memory_reservation(const void* address) {
  const auto a = reinterpret_cast<uintptr_t>(address);
  const int limit = g_slot_limit.load(std::memory_order_acquire);
  for (int i = 0; i < limit; ++i) {
    const uintptr_t begin = g_slots[i].base.load(std::memory_order_acquire);
    if (begin <= kClaimed) continue;
    const uintptr_t end = g_slots[i].end.load(std::memory_order_relaxed);
    // A slot reused between the two loads shows a different base now: skip it.
    if (g_slots[i].base.load(std::memory_order_acquire) != begin) continue;
    if (a >= begin && a < end) return true;
  }
  return false;
}

void install_memory_fault_handler() {
  std::lock_guard<std::mutex> lock(g_install_mutex);
  install(SIGSEGV, g_previous_segv);
  install(SIGBUS, g_previous_bus);
  g_installed_once.store(true, std::memory_order_release);
}

bool run_catching_memory_faults(void (*fn)(void*), void* arg) {
  if (!g_installed_once.load(std::memory_order_acquire)) install_memory_fault_handler();
  sigjmp_buf env;
  sigjmp_buf* const outer = t_catch;
  // savemask = 0 saves a system call per entry: the handler is installed with SA_NODEFER
  // and an empty sa_mask, so jumping out of it leaves the signal mask as it was.
  if (sigsetjmp(env, 0) == 0) {
    t_catch = &env;
    fn(arg);
    t_catch = outer;
    return true;
  }
  t_catch = outer;
  return false;
}

}  // namespace kiln
