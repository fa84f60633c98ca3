/* A small stack-machine interpreter: a switch-dispatched loop over 64-bit values, running a
 * bytecode program that sums the Collatz stopping times of 1..N into a rolling hash. */
#include "kernel.h"

enum Op {
  OP_PUSH,  /* push the immediate */
  OP_LOAD,  /* push register[imm] */
  OP_STORE, /* pop into register[imm] */
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_AND,
  OP_SHR, /* a >> b */
  OP_LT,  /* a < b (unsigned) */
  OP_NE,
  OP_JZ,  /* pop; jump to imm when zero */
  OP_JMP, /* jump to imm */
  OP_HALT /* return the top of the stack */
};

typedef struct {
  int32_t op;
  int32_t imm;
} Instr;

#define CODE_MAX 128

static Instr code[CODE_MAX];
static int code_size;

static int emit(int op, int imm) {
  code[code_size].op = op;
  code[code_size].imm = imm;
  return code_size++;
}

static int here(void) { return code_size; }

static void patch(int at, int target) { code[at].imm = target; }

static uint64_t execute(uint64_t n) {
  uint64_t regs[8] = {0, 0, 0, 0, n, 0, 0, 0};
  uint64_t stack[32];
  int sp = 0;
  int pc = 0;
  for (;;) {
    const Instr in = code[pc++];
    switch (in.op) {
      case OP_PUSH: stack[sp++] = (uint64_t)(int64_t)in.imm; break;
      case OP_LOAD: stack[sp++] = regs[in.imm]; break;
      case OP_STORE: regs[in.imm] = stack[--sp]; break;
      case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
      case OP_SUB: sp--; stack[sp - 1] -= stack[sp]; break;
      case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
      case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
      case OP_SHR: sp--; stack[sp - 1] >>= (stack[sp] & 63); break;
      case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case OP_NE: sp--; stack[sp - 1] = stack[sp - 1] != stack[sp]; break;
      case OP_JZ:
        if (stack[--sp] == 0) pc = in.imm;
        break;
      case OP_JMP: pc = in.imm; break;
      case OP_HALT: return stack[sp - 1];
      default: return 0;
    }
  }
}

/* Registers: 0 = i, 1 = x, 2 = steps, 3 = hash, 4 = n. */
static void assemble(void) {
  code_size = 0;
  emit(OP_PUSH, 1);
  emit(OP_STORE, 0);
  const int outer = here();
  emit(OP_LOAD, 0);
  emit(OP_LOAD, 4);
  emit(OP_LT, 0);
  const int exit_outer = emit(OP_JZ, -1);
  emit(OP_LOAD, 0);
  emit(OP_STORE, 1);
  emit(OP_PUSH, 0);
  emit(OP_STORE, 2);
  const int inner = here();
  emit(OP_LOAD, 1);
  emit(OP_PUSH, 1);
  emit(OP_NE, 0);
  const int exit_inner = emit(OP_JZ, -1);
  emit(OP_LOAD, 1);
  emit(OP_PUSH, 1);
  emit(OP_AND, 0);
  const int to_even = emit(OP_JZ, -1);
  emit(OP_LOAD, 1); /* odd: x = 3x + 1 */
  emit(OP_PUSH, 3);
  emit(OP_MUL, 0);
  emit(OP_PUSH, 1);
  emit(OP_ADD, 0);
  emit(OP_STORE, 1);
  const int to_count = emit(OP_JMP, -1);
  patch(to_even, here()); /* even: x = x >> 1 */
  emit(OP_LOAD, 1);
  emit(OP_PUSH, 1);
  emit(OP_SHR, 0);
  emit(OP_STORE, 1);
  patch(to_count, here());
  emit(OP_LOAD, 2);
  emit(OP_PUSH, 1);
  emit(OP_ADD, 0);
  emit(OP_STORE, 2);
  emit(OP_JMP, inner);
  patch(exit_inner, here()); /* hash = hash * 31 + steps; i++ */
  emit(OP_LOAD, 3);
  emit(OP_PUSH, 31);
  emit(OP_MUL, 0);
  emit(OP_LOAD, 2);
  emit(OP_ADD, 0);
  emit(OP_STORE, 3);
  emit(OP_LOAD, 0);
  emit(OP_PUSH, 1);
  emit(OP_ADD, 0);
  emit(OP_STORE, 0);
  emit(OP_JMP, outer);
  patch(exit_outer, here());
  emit(OP_LOAD, 3);
  emit(OP_HALT, 0);
}

static uint32_t kernel(uint32_t n) {
  assemble();
  /* Known answer: the stopping times of 1..9 are 0 1 7 2 5 8 16 3 19. */
  uint64_t expected = 0;
  static const uint8_t times[9] = {0, 1, 7, 2, 5, 8, 16, 3, 19};
  for (int i = 0; i < 9; i++) expected = expected * 31 + times[i];
  uint32_t h = kiln_mix(0x811c9dc5u, execute(10) == expected);
  return kiln_mix64(h, execute(n));
}

KILN_EXPORT uint32_t run(void) { return kiln_result(kernel(KILN_SIZE(130000, 2000))); }

/* The checksums run() returns, tested natively and on Kiln (bench/CMakeLists.txt).
 * kiln-bench-expect: full=1961297219 quick=1514110392 */
