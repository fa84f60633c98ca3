/* Shared by every kernel in bench/kernels: the exported entry point, the problem size and a
 * few deterministic helpers. A kernel builds two ways from the same source:
 *   - wasm32, freestanding (-nostdlib): `run` is exported, nothing is imported;
 *   - natively, linked with native_main.c, which calls run() and prints the checksum.
 * KILN_QUICK selects the small problem size (CI, smoke runs) at compile time. */
#ifndef KILN_BENCH_KERNEL_H
#define KILN_BENCH_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__wasm__)
#define KILN_EXPORT __attribute__((export_name("run")))
#else
#define KILN_EXPORT
#endif

/* KILN_SIZE(full, quick): the problem size for this build. */
#if defined(KILN_QUICK)
#define KILN_SIZE(full, quick) (quick)
#else
#define KILN_SIZE(full, quick) (full)
#endif

/* The checksum every runner prints. Bit 31 is cleared so that it reads the same whether a
 * runner prints an i32 signed or unsigned. */
static inline uint32_t kiln_result(uint32_t h) { return h & 0x7fffffffu; }

/* Folds a value into a running hash (FNV-1a style, one 32-bit word at a time). */
static inline uint32_t kiln_mix(uint32_t h, uint32_t v) {
  h ^= v;
  h *= 0x01000193u;
  return h ^ (h >> 15);
}

static inline uint32_t kiln_mix64(uint32_t h, uint64_t v) {
  return kiln_mix(kiln_mix(h, (uint32_t)v), (uint32_t)(v >> 32));
}

/* The bits of a double, for checksums of floating-point results (bit-exact on every IEEE
 * runner as long as no operation is fused or reassociated). */
static inline uint64_t kiln_bits(double d) {
  union {
    double d;
    uint64_t u;
  } u;
  u.d = d;
  return u.u;
}

/* A 32-bit xorshift generator: deterministic input data. */
static inline uint32_t kiln_rand(uint32_t* state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

#if defined(__wasm__)
/* Freestanding wasm has no libc: the compiler may still lower aggregate copies and zeroing to
 * these calls. The linker drops whichever are unused. */
void* memcpy(void* dst, const void* src, size_t n);
void* memmove(void* dst, const void* src, size_t n);
void* memset(void* dst, int c, size_t n);

void* memcpy(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  while (n--) *d++ = *s++;
  return dst;
}

void* memmove(void* dst, const void* src, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  const unsigned char* s = (const unsigned char*)src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}

void* memset(void* dst, int c, size_t n) {
  unsigned char* d = (unsigned char*)dst;
  while (n--) *d++ = (unsigned char)c;
  return dst;
}
#endif

uint32_t run(void);

#endif
