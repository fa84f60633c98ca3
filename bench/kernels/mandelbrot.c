/* Mandelbrot set: escape-time iteration counts over a grid of the complex plane. The checksum
 * folds each row's iteration total. */
#include "kernel.h"

#define MAX_ITERATIONS 256

static uint32_t kernel(int size) {
  uint32_t h = 0x811c9dc5u;
  for (int py = 0; py < size; py++) {
    const double ci = (double)py * 2.4 / (double)size - 1.2;
    uint32_t row = 0;
    for (int px = 0; px < size; px++) {
      const double cr = (double)px * 3.2 / (double)size - 2.2;
      double zr = 0.0, zi = 0.0, zr2 = 0.0, zi2 = 0.0;
      int it = 0;
      while (it < MAX_ITERATIONS && zr2 + zi2 <= 4.0) {
        zi = 2.0 * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        zr2 = zr * zr;
        zi2 = zi * zi;
        it++;
      }
      row = row * 33u + (uint32_t)it;
    }
    h = kiln_mix(h, row);
  }
  return h;
}

KILN_EXPORT uint32_t run(void) { return kiln_result(kernel(KILN_SIZE(1800, 140))); }

/* The checksums run() returns, tested natively and on Kiln (bench/CMakeLists.txt).
 * kiln-bench-expect: full=2141957909 quick=1530795440 */
