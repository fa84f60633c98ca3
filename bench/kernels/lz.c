/* LZ77-style compression with a hash table of recent 4-byte positions (greedy matching, 64 KiB
 * window), then decompression and a byte-for-byte check, over generated text. Stream format:
 * a control byte c < 128 is followed by c+1 literals; c >= 128 is a match of length
 * (c & 127) + 4 followed by its 16-bit little-endian distance. */
#include "kernel.h"

#define INPUT_BYTES (256 * 1024)
#define HASH_BITS 14
#define MIN_MATCH 4
#define MAX_MATCH (127 + MIN_MATCH)

static uint8_t input[INPUT_BYTES];
static uint8_t packed[INPUT_BYTES + INPUT_BYTES / 64 + 16];
static uint8_t output[INPUT_BYTES];
static int32_t recent[1 << HASH_BITS];

static const char* const kWords[16] = {
    "the ",  "quick ", "brown ", "fox ",  "jumps ", "over ", "lazy ", "dog ",
    "kiln ", "fires ", "clay ",  "into ", "hard ",  "pots ", "and ",  "bricks. "};

static void make_input(uint32_t seed) {
  uint32_t n = 0;
  while (n < INPUT_BYTES) {
    const uint32_t r = kiln_rand(&seed);
    if ((r & 31) == 0) {
      /* Occasional noise keeps it from being too easy. */
      input[n++] = (uint8_t)(r >> 8);
      continue;
    }
    for (const char* w = kWords[(r >> 5) & 15]; *w && n < INPUT_BYTES; w++) {
      input[n++] = (uint8_t)*w;
    }
  }
}

static inline uint32_t read32(const uint8_t* p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint32_t hash4(const uint8_t* p) {
  return (read32(p) * 2654435761u) >> (32 - HASH_BITS);
}

static uint32_t flush_literals(const uint8_t* src, uint32_t count, uint8_t* out) {
  uint32_t o = 0;
  while (count > 0) {
    const uint32_t run = count > 128 ? 128 : count;
    out[o++] = (uint8_t)(run - 1);
    for (uint32_t i = 0; i < run; i++) out[o++] = src[i];
    src += run;
    count -= run;
  }
  return o;
}

static uint32_t compress(const uint8_t* in, uint32_t n, uint8_t* out) {
  for (int i = 0; i < (1 << HASH_BITS); i++) recent[i] = -1;
  uint32_t o = 0, literal_start = 0, i = 0;
  while (i + MIN_MATCH <= n) {
    const uint32_t h = hash4(in + i);
    const int32_t candidate = recent[h];
    recent[h] = (int32_t)i;
    if (candidate >= 0 && i - (uint32_t)candidate <= 65535 &&
        read32(in + candidate) == read32(in + i)) {
      uint32_t length = MIN_MATCH;
      while (length < MAX_MATCH && i + length < n && in[candidate + length] == in[i + length]) {
        length++;
      }
      o += flush_literals(in + literal_start, i - literal_start, out + o);
      const uint32_t distance = i - (uint32_t)candidate;
      out[o++] = (uint8_t)(128 + length - MIN_MATCH);
      out[o++] = (uint8_t)distance;
      out[o++] = (uint8_t)(distance >> 8);
      /* Index a few positions inside the match too. */
      for (uint32_t k = 1; k < length && i + k + MIN_MATCH <= n; k += 3) {
        recent[hash4(in + i + k)] = (int32_t)(i + k);
      }
      i += length;
      literal_start = i;
    } else {
      i++;
    }
  }
  o += flush_literals(in + literal_start, n - literal_start, out + o);
  return o;
}

static uint32_t decompress(const uint8_t* in, uint32_t n, uint8_t* out) {
  uint32_t i = 0, o = 0;
  while (i < n) {
    const uint32_t c = in[i++];
    if (c < 128) {
      for (uint32_t k = 0; k <= c; k++) out[o++] = in[i++];
    } else {
      const uint32_t length = (c & 127) + MIN_MATCH;
      const uint32_t distance = (uint32_t)in[i] | (uint32_t)in[i + 1] << 8;
      i += 2;
      for (uint32_t k = 0; k < length; k++, o++) out[o] = out[o - distance];
    }
  }
  return o;
}

static uint32_t kernel(int rounds) {
  uint32_t h = 0x811c9dc5u;
  for (int r = 0; r < rounds; r++) {
    if (r % 8 == 0) make_input(0x2545f491u + (uint32_t)r);
    input[(uint32_t)r * 7919u % INPUT_BYTES] ^= (uint8_t)r;
    const uint32_t size = compress(input, INPUT_BYTES, packed);
    const uint32_t restored = decompress(packed, size, output);
    uint32_t mismatches = restored != INPUT_BYTES;
    for (uint32_t i = 0; i < INPUT_BYTES; i++) mismatches += input[i] != output[i];
    uint32_t fold = 0;
    for (uint32_t i = 0; i < size; i++) fold = fold * 31u + packed[i];
    h = kiln_mix(kiln_mix(kiln_mix(h, size), fold), mismatches);
  }
  return h;
}

KILN_EXPORT uint32_t run(void) { return kiln_result(kernel(KILN_SIZE(360, 3))); }

/* The checksums run() returns, tested natively and on Kiln (bench/CMakeLists.txt).
 * kiln-bench-expect: full=83286016 quick=1976755142 */
