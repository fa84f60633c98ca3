/* Fannkuch: for every permutation of 0..n-1, count the prefix reversals ("pancake flips") until
 * 0 is in front. Permutations are generated in the rotation order of a counter array; the
 * checksum folds the maximum flip count and the alternating sum of flip counts. */
#include "kernel.h"

#define N_MAX 12

static uint32_t fannkuch(int n, int shift) {
  int perm[N_MAX], base[N_MAX], counter[N_MAX];
  for (int i = 0; i < n; i++) base[i] = (i + shift) % n;
  int max_flips = 0;
  int64_t alternating = 0;
  int64_t index = 0;
  int r = n;
  for (;;) {
    for (; r > 1; r--) counter[r - 1] = r;
    for (int i = 0; i < n; i++) perm[i] = base[i];
    int flips = 0;
    for (int first = perm[0]; first != 0; first = perm[0]) {
      for (int lo = 0, hi = first; lo < hi; lo++, hi--) {
        const int t = perm[lo];
        perm[lo] = perm[hi];
        perm[hi] = t;
      }
      flips++;
    }
    if (flips > max_flips) max_flips = flips;
    alternating += (index & 1) ? -flips : flips;
    index++;
    /* Next permutation: rotate the first r+1 elements left until a counter is left. */
    for (;;) {
      if (r == n) {
        uint32_t h = kiln_mix(0x811c9dc5u, (uint32_t)max_flips);
        h = kiln_mix64(h, (uint64_t)alternating);
        return kiln_mix64(h, (uint64_t)index);
      }
      const int first = base[0];
      for (int i = 0; i < r; i++) base[i] = base[i + 1];
      base[r] = first;
      if (--counter[r] > 0) break;
      r++;
    }
  }
}

/* Every round visits all n! permutations, in an order that depends on the starting one. */
static uint32_t kernel(int n, int rounds) {
  uint32_t h = 0x811c9dc5u;
  for (int r = 0; r < rounds; r++) h = kiln_mix(h, fannkuch(n, r));
  return h;
}

KILN_EXPORT uint32_t run(void) {
  return kiln_result(KILN_SIZE(kernel(10, 2), kernel(8, 2)));
}

/* The checksums run() returns, tested natively and on Kiln (bench/CMakeLists.txt).
 * kiln-bench-expect: full=1559421870 quick=1056368494 */
