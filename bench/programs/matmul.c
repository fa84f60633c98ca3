// Dense matrix multiply in double precision: a naive i-k-j kernel and a cache-blocked one,
// checked against each other, then a checksum of the product.
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#define N 160
#define BLOCK 32

static double a[N][N], b[N][N], c_naive[N][N], c_blocked[N][N];

static void fill(double m[N][N], uint32_t seed) {
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      seed = seed * 1664525u + 1013904223u;
      m[i][j] = (double)(seed >> 8) / (double)(1u << 24) - 0.5;
    }
  }
}

static void multiply_naive(double out[N][N], double x[N][N], double y[N][N]) {
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) out[i][j] = 0.0;
    for (int k = 0; k < N; ++k) {
      double xik = x[i][k];
      for (int j = 0; j < N; ++j) out[i][j] += xik * y[k][j];
    }
  }
}

static void multiply_blocked(double out[N][N], double x[N][N], double y[N][N]) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) out[i][j] = 0.0;
  for (int ii = 0; ii < N; ii += BLOCK)
    for (int kk = 0; kk < N; kk += BLOCK)
      for (int jj = 0; jj < N; jj += BLOCK)
        for (int i = ii; i < ii + BLOCK; ++i)
          for (int k = kk; k < kk + BLOCK; ++k) {
            double xik = x[i][k];
            for (int j = jj; j < jj + BLOCK; ++j) out[i][j] += xik * y[k][j];
          }
}

int main(void) {
  fill(a, 1);
  fill(b, 2);
  multiply_naive(c_naive, a, b);
  multiply_blocked(c_blocked, a, b);
  double max_diff = 0.0, trace = 0.0, sum = 0.0;
  for (int i = 0; i < N; ++i) {
    trace += c_blocked[i][i];
    for (int j = 0; j < N; ++j) {
      double d = fabs(c_naive[i][j] - c_blocked[i][j]);
      if (d > max_diff) max_diff = d;
      sum += c_blocked[i][j] * (double)((i * 7 + j) % 13);
    }
  }
  if (max_diff > 1e-9) {
    printf("matmul: kernels disagree by %g\n", max_diff);
    return 1;
  }
  printf("matmul: trace %.9f weighted sum %.9f\n", trace, sum);
  return 0;
}
