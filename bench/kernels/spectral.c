/* Spectral norm: the largest singular value of the infinite matrix a(i,j) = 1/((i+j)(i+j+1)/2
 * + i + 1), truncated to n x n, by power iteration on A^T A. The checksum folds the bits of the
 * estimate and of both vectors' sums. */
#include "kernel.h"

#define N_MAX 3000

static double u[N_MAX], v[N_MAX], tmp[N_MAX];

static inline double entry(int i, int j) {
  return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1);
}

static void times_a(const double* in, double* out, int n) {
  for (int i = 0; i < n; i++) {
    double s = 0.0;
    for (int j = 0; j < n; j++) s += entry(i, j) * in[j];
    out[i] = s;
  }
}

static void times_at(const double* in, double* out, int n) {
  for (int i = 0; i < n; i++) {
    double s = 0.0;
    for (int j = 0; j < n; j++) s += entry(j, i) * in[j];
    out[i] = s;
  }
}

static void times_ata(const double* in, double* out, int n) {
  times_a(in, tmp, n);
  times_at(tmp, out, n);
}

static uint32_t kernel(int n) {
  for (int i = 0; i < n; i++) u[i] = 1.0;
  for (int k = 0; k < 10; k++) {
    times_ata(u, v, n);
    times_ata(v, u, n);
  }
  double vbv = 0.0, vv = 0.0, su = 0.0, sv = 0.0;
  for (int i = 0; i < n; i++) {
    vbv += u[i] * v[i];
    vv += v[i] * v[i];
    su += u[i];
    sv += v[i];
  }
  uint32_t h = kiln_mix64(0x811c9dc5u, kiln_bits(__builtin_sqrt(vbv / vv)));
  h = kiln_mix64(h, kiln_bits(su));
  return kiln_mix64(h, kiln_bits(sv));
}

KILN_EXPORT uint32_t run(void) { return kiln_result(kernel(KILN_SIZE(2500, 200))); }

/* The checksums run() returns, tested natively and on Kiln (bench/CMakeLists.txt).
 * kiln-bench-expect: full=30471811 quick=1373973041 */
