/* The native driver of a bench kernel: runs it once and prints its checksum, exactly as
 * `kiln run NAME.wasm --invoke run` prints the result. */
#include <stdint.h>
#include <stdio.h>

uint32_t run(void);

int main(void) {
  printf("%u\n", (unsigned)run());
  return 0;
}
