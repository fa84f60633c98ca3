/* Dense double-precision matrix multiply: C = A * B, repeated with A perturbed between rounds.
 * The checksum folds the bits of every diagonal element and of a weighted row sum. */
#include "kernel.h"

#define N_MAX 320

static double a[N_MAX * N_MAX];
static double b[N_MAX * N_MAX];
static double c[N_MAX * N_MAX];

static uint32_t kernel(int n, int rounds) {
  uint32_t seed = 0x1234567u;
  for (int i = 0; i < n * n; i++) {
    a[i] = (double)(int)(kiln_rand(&seed) % 2001u) / 1000.0 - 1.0;
    b[i] = (double)(int)(kiln_rand(&seed) % 2001u) / 1000.0 - 1.0;
  }
  uint32_t h = 0x811c9dc5u;
  for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < n * n; i++) c[i] = 0.0;
    for (int i = 0; i < n; i++) {
      double* ci = &c[i * n];
      for (int k = 0; k < n; k++) {
        const double aik = a[i * n + k];
        const double* bk = &b[k * n];
        for (int j = 0; j < n; j++) ci[j] += aik * bk[j];
      }
    }
    double row = 0.0;
    for (int j = 0; j < n; j++) row += c[(r % n) * n + j] * (double)(j % 7 + 1);
    h = kiln_mix64(h, kiln_bits(row));
    for (int i = 0; i < n; i++) h = kiln_mix64(h, kiln_bits(c[i * n + i]));
    a[(r * 7919) % (n * n)] += 0.5;
  }
  return h;
}

KILN_EXPORT uint32_t run(void) {
  return kiln_result(KILN_SIZE(kernel(320, 40), kernel(96, 2)));
}

/* The checksums run() returns, tested natively and on Kiln (bench/CMakeLists.txt).
 * kiln-bench-expect: full=133197345 quick=471874852 */
