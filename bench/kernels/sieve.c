/* Sieve of Eratosthenes over a byte array, repeated with a shrinking limit. The checksum folds
 * the prime count and the largest prime of every round. */
#include "kernel.h"

#define LIMIT_MAX 4000000

static uint8_t composite[LIMIT_MAX + 1];

static uint32_t kernel(uint32_t limit, int rounds) {
  uint32_t h = 0x811c9dc5u;
  for (int r = 0; r < rounds; r++) {
    const uint32_t n = limit - (uint32_t)r * 1000u;
    for (uint32_t i = 0; i <= n; i++) composite[i] = 0;
    for (uint32_t p = 2; p * p <= n; p++) {
      if (composite[p]) continue;
      for (uint32_t m = p * p; m <= n; m += p) composite[m] = 1;
    }
    uint32_t count = 0, largest = 0, sum = 0;
    for (uint32_t i = 2; i <= n; i++) {
      if (!composite[i]) {
        count++;
        largest = i;
        sum += i;
      }
    }
    h = kiln_mix(kiln_mix(kiln_mix(h, count), largest), sum);
  }
  return h;
}

KILN_EXPORT uint32_t run(void) {
  return kiln_result(KILN_SIZE(kernel(4000000, 48), kernel(200000, 4)));
}

/* The checksums run() returns, tested natively and on Kiln (bench/CMakeLists.txt).
 * kiln-bench-expect: full=1422188521 quick=809869531 */
