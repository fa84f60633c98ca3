/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), table-driven one byte at a time, over a
 * 64 KiB buffer many times; each round's CRC perturbs the buffer. */
#include "kernel.h"

#define BUFFER_BYTES 65536

static uint32_t table[256];
static uint8_t buffer[BUFFER_BYTES];

static void make_table(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
}

static uint32_t crc32(uint32_t crc, const uint8_t* p, uint32_t n) {
  crc = ~crc;
  for (uint32_t i = 0; i < n; i++) crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static uint32_t kernel(int rounds) {
  make_table();
  /* Known answer: CRC-32("123456789") = 0xcbf43926. */
  uint32_t h = kiln_mix(0x811c9dc5u, crc32(0, (const uint8_t*)"123456789", 9));
  uint32_t seed = 0xdeadbeefu;
  for (int i = 0; i < BUFFER_BYTES; i++) buffer[i] = (uint8_t)kiln_rand(&seed);
  uint32_t crc = 0;
  for (int r = 0; r < rounds; r++) {
    crc = crc32(crc, buffer, BUFFER_BYTES);
    buffer[crc % BUFFER_BYTES] ^= (uint8_t)(crc >> 24);
    if ((r & 63) == 0) h = kiln_mix(h, crc);
  }
  return kiln_mix(h, crc);
}

KILN_EXPORT uint32_t run(void) { return kiln_result(kernel(KILN_SIZE(3000, 25))); }

/* The checksums run() returns, tested natively and on Kiln (bench/CMakeLists.txt).
 * kiln-bench-expect: full=615786092 quick=550886511 */
