// Faults in linear memory become a `false` from run_catching_memory_faults; faults
// anywhere else still reach the handler that was installed before Kiln's.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/memory_fault.h"
#include "runtime/store.h"

namespace kiln {
namespace {

struct Touch {
  volatile uint8_t* address;
  uint8_t value;
};

void write_byte(void* arg) {
  auto* touch = static_cast<Touch*>(arg);
  *touch->address = touch->value;
}

TEST(MemoryFault, AccessPastSizeInsideTheReservationIsCaught) {
  Engine engine;
  Store store(engine);
  auto memory = store.add_memory(MemoryType{Limits{1, std::nullopt}});
  ASSERT_TRUE(memory.ok());
  MemoryInstance& m = **memory;
  EXPECT_TRUE(is_in_memory_reservation(m.base));
  EXPECT_TRUE(is_in_memory_reservation(m.base + m.reserved - 1));
  EXPECT_FALSE(is_in_memory_reservation(m.base + m.reserved));

  Touch inside{m.base + 100, 7};
  EXPECT_TRUE(run_catching_memory_faults(write_byte, &inside));
  EXPECT_EQ(m.base[100], 7);

  Touch past{m.base + m.size, 1};
  EXPECT_FALSE(run_catching_memory_faults(write_byte, &past));
  Touch far{m.base + (uint64_t{4} << 30) + 12345, 1};
  EXPECT_FALSE(run_catching_memory_faults(write_byte, &far));
  // Still usable after a caught fault (the signal is not left blocked).
  EXPECT_FALSE(run_catching_memory_faults(write_byte, &past));
  EXPECT_EQ(m.grow(1), 1u);
  EXPECT_TRUE(run_catching_memory_faults(write_byte, &past));
  EXPECT_EQ(m.base[65536], 1);
}

TEST(MemoryFault, ReleasedReservationsAreForgotten) {
  Engine engine;
  const uint8_t* base = nullptr;
  {
    Store store(engine);
    auto memory = store.add_memory(MemoryType{Limits{0, std::nullopt}});
    ASSERT_TRUE(memory.ok());
    base = (*memory)->base;
    EXPECT_TRUE(is_in_memory_reservation(base));
  }
  EXPECT_FALSE(is_in_memory_reservation(base));
}

void previous_handler(int, siginfo_t*, void*) { _exit(42); }

TEST(MemoryFault, FaultOutsideAReservationReachesThePreviousHandler) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    struct sigaction action {};
    action.sa_sigaction = previous_handler;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    sigaction(SIGSEGV, &action, nullptr);
    install_memory_fault_handler();  // chains to previous_handler
    void* page = mmap(nullptr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    Touch outside{static_cast<uint8_t*>(page), 1};
    const bool returned = run_catching_memory_faults(write_byte, &outside);
    _exit(returned ? 1 : 2);  // neither: the previous handler exits with 42
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "status " << status;
  EXPECT_EQ(WEXITSTATUS(status), 42);
}

TEST(MemoryFault, FaultOutsideAnyScopeKeepsTheDefaultAction) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    signal(SIGSEGV, SIG_DFL);
    install_memory_fault_handler();
    Engine engine;
    Store store(engine);
    auto memory = store.add_memory(MemoryType{Limits{0, std::nullopt}});
    // Not inside run_catching_memory_faults: the process must die of SIGSEGV.
    *static_cast<volatile uint8_t*>((*memory)->base) = 1;
    _exit(3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "status " << status;
  EXPECT_EQ(WTERMSIG(status), SIGSEGV);
}

}  // namespace
}  // namespace kiln
