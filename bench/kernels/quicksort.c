/* Quicksort (median-of-three, insertion sort below 16 elements, recursion on the smaller part)
 * of pseudo-random 32-bit keys, several rounds. The checksum proves the order and folds
 * sampled elements. */
#include "kernel.h"

#define ELEMENTS_MAX 1000000

static uint32_t keys[ELEMENTS_MAX];

static void insertion_sort(uint32_t* v, int n) {
  for (int i = 1; i < n; i++) {
    const uint32_t x = v[i];
    int j = i - 1;
    while (j >= 0 && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

static inline void swap(uint32_t* a, uint32_t* b) {
  const uint32_t t = *a;
  *a = *b;
  *b = t;
}

static void quicksort(uint32_t* v, int n) {
  while (n > 16) {
    /* Median of three into v[0] as the pivot. */
    const int mid = n / 2;
    if (v[mid] < v[0]) swap(&v[mid], &v[0]);
    if (v[n - 1] < v[0]) swap(&v[n - 1], &v[0]);
    if (v[n - 1] < v[mid]) swap(&v[n - 1], &v[mid]);
    swap(&v[0], &v[mid]);
    const uint32_t pivot = v[0];
    int i = 0, j = n;
    for (;;) {
      do i++; while (i < n && v[i] < pivot);
      do j--; while (v[j] > pivot);
      if (i >= j) break;
      swap(&v[i], &v[j]);
    }
    swap(&v[0], &v[j]);
    /* Recurse on the smaller side, loop on the larger. */
    const int left = j, right = n - j - 1;
    if (left < right) {
      quicksort(v, left);
      v += j + 1;
      n = right;
    } else {
      quicksort(v + j + 1, right);
      n = left;
    }
  }
  insertion_sort(v, n);
}

static uint32_t kernel(int n, int rounds) {
  uint32_t h = 0x811c9dc5u;
  uint32_t seed = 0x9e3779b9u;
  for (int r = 0; r < rounds; r++) {
    /* Every other round has many duplicates. */
    const uint32_t mask = (r & 1) ? 0xffffu : 0xffffffffu;
    for (int i = 0; i < n; i++) keys[i] = kiln_rand(&seed) & mask;
    quicksort(keys, n);
    uint32_t inversions = 0;
    for (int i = 1; i < n; i++) inversions += keys[i - 1] > keys[i];
    h = kiln_mix(h, inversions);
    for (int i = 0; i < n; i += n / 64 + 1) h = kiln_mix(h, keys[i]);
  }
  return h;
}

KILN_EXPORT uint32_t run(void) {
  return kiln_result(KILN_SIZE(kernel(1000000, 6), kernel(50000, 2)));
}

/* The checksums run() returns, tested natively and on Kiln (bench/CMakeLists.txt).
 * kiln-bench-expect: full=1900093964 quick=2050449581 */
