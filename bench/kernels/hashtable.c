/* An open-addressing hash table (linear probing, power-of-two capacity, backward-shift
 * deletion) of 32-bit keys to 32-bit values: inserts, lookups that hit and miss, and deletes. */
#include "kernel.h"

#define CAPACITY (1u << 20)
#define EMPTY 0u

static uint32_t slot_key[CAPACITY];
static uint32_t slot_value[CAPACITY];

static inline uint32_t home(uint32_t key) { return (key * 0x9e3779b1u) >> 12; }

static void insert(uint32_t key, uint32_t value) {
  uint32_t i = home(key);
  while (slot_key[i] != EMPTY && slot_key[i] != key) i = (i + 1) & (CAPACITY - 1);
  slot_key[i] = key;
  slot_value[i] = value;
}

static int lookup(uint32_t key, uint32_t* value) {
  for (uint32_t i = home(key);; i = (i + 1) & (CAPACITY - 1)) {
    if (slot_key[i] == key) {
      *value = slot_value[i];
      return 1;
    }
    if (slot_key[i] == EMPTY) return 0;
  }
}

static void erase(uint32_t key) {
  uint32_t i = home(key);
  while (slot_key[i] != key) {
    if (slot_key[i] == EMPTY) return;
    i = (i + 1) & (CAPACITY - 1);
  }
  /* Shift later members of the probe run back into the hole. */
  uint32_t hole = i;
  for (uint32_t j = (i + 1) & (CAPACITY - 1); slot_key[j] != EMPTY; j = (j + 1) & (CAPACITY - 1)) {
    const uint32_t h = home(slot_key[j]);
    /* Move j into the hole unless its home lies cyclically in (hole, j]. */
    const int stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
    if (!stays) {
      slot_key[hole] = slot_key[j];
      slot_value[hole] = slot_value[j];
      hole = j;
    }
  }
  slot_key[hole] = EMPTY;
}

static uint32_t kernel(uint32_t keys, int rounds) {
  uint32_t h = 0x811c9dc5u;
  for (int r = 0; r < rounds; r++) {
    for (uint32_t i = 0; i < CAPACITY; i++) slot_key[i] = EMPTY;
    uint32_t seed = 0x51ed270bu + (uint32_t)r;
    for (uint32_t i = 0; i < keys; i++) insert(kiln_rand(&seed) | 1u, i);
    /* Replay the key sequence: hits on odd keys, misses on the even neighbours. */
    seed = 0x51ed270bu + (uint32_t)r;
    uint32_t hits = 0, sum = 0;
    for (uint32_t i = 0; i < keys; i++) {
      const uint32_t key = kiln_rand(&seed) | 1u;
      uint32_t value = 0;
      if (lookup(key, &value)) {
        hits++;
        sum += value;
      }
      if (lookup(key ^ 1u, &value)) hits += 1000;
      if (i % 3 == 0) erase(key);
    }
    seed = 0x51ed270bu + (uint32_t)r;
    uint32_t remaining = 0;
    for (uint32_t i = 0; i < keys; i++) {
      uint32_t value = 0;
      remaining += (uint32_t)lookup(kiln_rand(&seed) | 1u, &value);
    }
    h = kiln_mix(kiln_mix(kiln_mix(h, hits), sum), remaining);
  }
  return h;
}

KILN_EXPORT uint32_t run(void) {
  return kiln_result(KILN_SIZE(kernel(600000, 8), kernel(20000, 2)));
}

/* The checksums run() returns, tested natively and on Kiln (bench/CMakeLists.txt).
 * kiln-bench-expect: full=143278196 quick=542715967 */
