/* SHA-256 (FIPS 180-4) of a 64 KiB message, chained: each round hashes the message with the
 * previous digest written over its first 32 bytes. The checksum folds the last digest. */
#include "kernel.h"

#define MESSAGE_BYTES 65536

static const uint32_t kRoundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

static uint8_t message[MESSAGE_BYTES];

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t state[8], const uint8_t* block) {
  uint32_t w[64];
  for (int t = 0; t < 16; t++) {
    w[t] = (uint32_t)block[4 * t] << 24 | (uint32_t)block[4 * t + 1] << 16 |
           (uint32_t)block[4 * t + 2] << 8 | (uint32_t)block[4 * t + 3];
  }
  for (int t = 16; t < 64; t++) {
    const uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
    const uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
    w[t] = w[t - 16] + s0 + w[t - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int t = 0; t < 64; t++) {
    const uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
                        kRoundConstants[t] + w[t];
    const uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

static void sha256(const uint8_t* data, uint32_t length, uint8_t digest[32]) {
  uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  uint32_t offset = 0;
  for (; offset + 64 <= length; offset += 64) compress(state, data + offset);
  /* The final block(s): the remaining bytes, 0x80, zeros, the bit length big-endian. */
  uint8_t tail[128];
  const uint32_t rest = length - offset;
  for (uint32_t i = 0; i < 128; i++) tail[i] = 0;
  for (uint32_t i = 0; i < rest; i++) tail[i] = data[offset + i];
  tail[rest] = 0x80;
  const uint32_t tail_bytes = rest + 9 <= 64 ? 64 : 128;
  const uint64_t bits = (uint64_t)length * 8;
  for (int i = 0; i < 8; i++) tail[tail_bytes - 1 - i] = (uint8_t)(bits >> (8 * i));
  compress(state, tail);
  if (tail_bytes == 128) compress(state, tail + 64);
  for (int i = 0; i < 8; i++) {
    digest[4 * i] = (uint8_t)(state[i] >> 24);
    digest[4 * i + 1] = (uint8_t)(state[i] >> 16);
    digest[4 * i + 2] = (uint8_t)(state[i] >> 8);
    digest[4 * i + 3] = (uint8_t)state[i];
  }
}

static uint32_t kernel(int rounds) {
  uint32_t seed = 0xc0ffeeu;
  for (int i = 0; i < MESSAGE_BYTES; i++) message[i] = (uint8_t)kiln_rand(&seed);
  uint8_t digest[32];
  /* A known answer first: SHA-256("abc") starts ba 78 16 bf. */
  sha256((const uint8_t*)"abc", 3, digest);
  uint32_t h = kiln_mix(0x811c9dc5u, (uint32_t)digest[0] << 24 | (uint32_t)digest[1] << 16 |
                                         (uint32_t)digest[2] << 8 | digest[3]);
  for (int r = 0; r < rounds; r++) {
    /* Lengths vary so that both padding shapes are exercised. */
    sha256(message, MESSAGE_BYTES - (uint32_t)(r % 61), digest);
    for (int i = 0; i < 32; i++) message[i] = digest[i];
  }
  for (int i = 0; i < 32; i += 4) {
    h = kiln_mix(h, (uint32_t)digest[i] << 24 | (uint32_t)digest[i + 1] << 16 |
                        (uint32_t)digest[i + 2] << 8 | digest[i + 3]);
  }
  return h;
}

KILN_EXPORT uint32_t run(void) { return kiln_result(kernel(KILN_SIZE(2000, 10))); }

/* The checksums run() returns, tested natively and on Kiln (bench/CMakeLists.txt).
 * kiln-bench-expect: full=1469831505 quick=1162418422 */
