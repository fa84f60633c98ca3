// Three sorting algorithms (introsort-style quicksort, bottom-up merge sort, heapsort) on
// the same pseudo-random data; each result is checked against the others.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT 200000

static uint32_t original[COUNT], by_quick[COUNT], by_merge[COUNT], by_heap[COUNT], scratch[COUNT];

static void swap(uint32_t* x, uint32_t* y) {
  uint32_t t = *x;
  *x = *y;
  *y = t;
}

static void insertion_sort(uint32_t* v, size_t n) {
  for (size_t i = 1; i < n; ++i) {
    uint32_t key = v[i];
    size_t j = i;
    while (j > 0 && v[j - 1] > key) {
      v[j] = v[j - 1];
      --j;
    }
    v[j] = key;
  }
}

static void quick_sort(uint32_t* v, size_t n) {
  while (n > 16) {
    // Median of three as the pivot, Hoare partition.
    size_t mid = n / 2;
    if (v[mid] < v[0]) swap(&v[mid], &v[0]);
    if (v[n - 1] < v[0]) swap(&v[n - 1], &v[0]);
    if (v[n - 1] < v[mid]) swap(&v[n - 1], &v[mid]);
    uint32_t pivot = v[mid];
    size_t i = 0, j = n - 1;
    for (;;) {
      while (v[i] < pivot) ++i;
      while (v[j] > pivot) --j;
      if (i >= j) break;
      swap(&v[i++], &v[j--]);
    }
    // Recurse into the smaller half, loop on the larger one.
    size_t left = j + 1;
    if (left < n - left) {
      quick_sort(v, left);
      v += left;
      n -= left;
    } else {
      quick_sort(v + left, n - left);
      n = left;
    }
  }
  insertion_sort(v, n);
}

static void merge_sort(uint32_t* v, uint32_t* tmp, size_t n) {
  for (size_t width = 1; width < n; width *= 2) {
    for (size_t lo = 0; lo < n; lo += 2 * width) {
      size_t mid = lo + width < n ? lo + width : n;
      size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = v[i] <= v[j] ? v[i++] : v[j++];
      while (i < mid) tmp[k++] = v[i++];
      while (j < hi) tmp[k++] = v[j++];
    }
    memcpy(v, tmp, n * sizeof *v);
  }
}

static void sift_down(uint32_t* v, size_t root, size_t n) {
  for (;;) {
    size_t child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && v[child + 1] > v[child]) ++child;
    if (v[root] >= v[child]) return;
    swap(&v[root], &v[child]);
    root = child;
  }
}

static void heap_sort(uint32_t* v, size_t n) {
  for (size_t i = n / 2; i-- > 0;) sift_down(v, i, n);
  for (size_t end = n; end-- > 1;) {
    swap(&v[0], &v[end]);
    sift_down(v, 0, end);
  }
}

int main(void) {
  uint64_t state = 0x9e3779b97f4a7c15ull;
  for (size_t i = 0; i < COUNT; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    // Many duplicates in the low range stress the partitioning.
    original[i] = (i % 3 == 0) ? (uint32_t)(state % 1000) : (uint32_t)(state >> 20);
  }
  memcpy(by_quick, original, sizeof original);
  memcpy(by_merge, original, sizeof original);
  memcpy(by_heap, original, sizeof original);
  quick_sort(by_quick, COUNT);
  merge_sort(by_merge, scratch, COUNT);
  heap_sort(by_heap, COUNT);
  uint32_t checksum = 0;
  for (size_t i = 0; i < COUNT; ++i) {
    if (by_quick[i] != by_merge[i] || by_quick[i] != by_heap[i] ||
        (i > 0 && by_quick[i - 1] > by_quick[i])) {
      printf("sort: mismatch at %zu\n", i);
      return 1;
    }
    checksum = checksum * 31 + by_quick[i];
  }
  printf("sort: checksum %08x\n", checksum);
  return 0;
}
