// An LZ77-style compressor with a hash-chain match finder and a byte-oriented format
// (literal runs and back references), plus its decompressor; the round trip must be exact.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define INPUT_SIZE (256 * 1024)
#define WINDOW (1 << 15)
#define HASH_BITS 14
#define MIN_MATCH 4
#define MAX_MATCH 255
#define MAX_CHAIN 32

static uint8_t input[INPUT_SIZE];
static uint8_t packed[INPUT_SIZE + INPUT_SIZE / 64 + 16];
static uint8_t unpacked[INPUT_SIZE];
static int32_t head[1 << HASH_BITS];
static int32_t prev[WINDOW];

static uint32_t hash4(const uint8_t* p) {
  uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
  return (v * 2654435761u) >> (32 - HASH_BITS);
}

// Format: a token byte; 0..127 = that many + 1 literals follow; 128..255 = a match of
// length (token - 128 + MIN_MATCH) whose 16-bit distance follows (little endian). Matches
// longer than the token can hold are split.
static size_t flush_literals(uint8_t* out, size_t o, const uint8_t* lit, size_t n) {
  while (n > 0) {
    size_t run = n > 128 ? 128 : n;
    out[o++] = (uint8_t)(run - 1);
    memcpy(out + o, lit, run);
    o += run;
    lit += run;
    n -= run;
  }
  return o;
}

static size_t compress(const uint8_t* in, size_t size, uint8_t* out) {
  for (size_t i = 0; i < (1u << HASH_BITS); ++i) head[i] = -1;
  size_t o = 0, pos = 0, literal_start = 0;
  while (pos + MIN_MATCH <= size) {
    uint32_t h = hash4(in + pos);
    size_t best_len = 0, best_dist = 0;
    int32_t candidate = head[h];
    for (int chain = 0; candidate >= 0 && chain < MAX_CHAIN; ++chain) {
      size_t dist = pos - (size_t)candidate;
      if (dist > WINDOW - 1) break;
      size_t len = 0, limit = size - pos;
      if (limit > MAX_MATCH - 128 + MIN_MATCH - 1) limit = MAX_MATCH - 128 + MIN_MATCH - 1;
      while (len < limit && in[candidate + len] == in[pos + len]) ++len;
      if (len > best_len) {
        best_len = len;
        best_dist = dist;
      }
      candidate = prev[candidate & (WINDOW - 1)];
    }
    prev[pos & (WINDOW - 1)] = head[h];
    head[h] = (int32_t)pos;
    if (best_len >= MIN_MATCH) {
      o = flush_literals(out, o, in + literal_start, pos - literal_start);
      out[o++] = (uint8_t)(128 + best_len - MIN_MATCH);
      out[o++] = (uint8_t)best_dist;
      out[o++] = (uint8_t)(best_dist >> 8);
      for (size_t k = 1; k < best_len && pos + k + MIN_MATCH <= size; ++k) {
        uint32_t hk = hash4(in + pos + k);
        prev[(pos + k) & (WINDOW - 1)] = head[hk];
        head[hk] = (int32_t)(pos + k);
      }
      pos += best_len;
      literal_start = pos;
    } else {
      ++pos;
    }
  }
  return flush_literals(out, o, in + literal_start, size - literal_start);
}

static size_t decompress(const uint8_t* in, size_t size, uint8_t* out, size_t capacity) {
  size_t i = 0, o = 0;
  while (i < size) {
    uint8_t token = in[i++];
    if (token < 128) {
      size_t run = (size_t)token + 1;
      if (i + run > size || o + run > capacity) return 0;
      memcpy(out + o, in + i, run);
      i += run;
      o += run;
    } else {
      if (i + 2 > size) return 0;
      size_t len = (size_t)token - 128 + MIN_MATCH;
      size_t dist = (size_t)in[i] | (size_t)in[i + 1] << 8;
      i += 2;
      if (dist == 0 || dist > o || o + len > capacity) return 0;
      for (size_t k = 0; k < len; ++k, ++o) out[o] = out[o - dist];  // may overlap
    }
  }
  return o;
}

// Text-like input: words from a small vocabulary with varying separators, so that there is
// something to find at many distances.
static void make_input(void) {
  static const char* words[] = {"wasm",   "module", "function", "memory", "table",  "global",
                                "import", "export", "branch",   "loop",   "block",  "value",
                                "stack",  "trap",   "instance", "linker", "encode", "decode"};
  uint32_t seed = 7;
  size_t n = 0;
  while (n < INPUT_SIZE) {
    seed = seed * 1103515245u + 12345u;
    const char* w = words[(seed >> 16) % (sizeof words / sizeof *words)];
    while (*w && n < INPUT_SIZE) input[n++] = (uint8_t)*w++;
    if (n < INPUT_SIZE) input[n++] = (seed & 0x300) ? ' ' : (uint8_t)('0' + (seed >> 24) % 10);
  }
}

int main(void) {
  make_input();
  size_t packed_size = compress(input, INPUT_SIZE, packed);
  size_t unpacked_size = decompress(packed, packed_size, unpacked, sizeof unpacked);
  if (unpacked_size != INPUT_SIZE || memcmp(input, unpacked, INPUT_SIZE) != 0) {
    printf("lz: round trip FAILED\n");
    return 1;
  }
  uint32_t checksum = 2166136261u;
  for (size_t i = 0; i < packed_size; ++i) checksum = (checksum ^ packed[i]) * 16777619u;
  printf("lz: %d -> %zu bytes, checksum %08x\n", INPUT_SIZE, packed_size, checksum);
  return 0;
}
