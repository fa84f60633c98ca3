// A small expression language: a tokenizer, a Pratt parser into an AST held in an arena,
// a constant folder and a tree-walking evaluator with variables, run over many generated
// programs such as "x = 3 * (y + 4) % 7; y = x < 5 ? y - 1 : y + x".
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef enum { N_NUM, N_VAR, N_NEG, N_BIN, N_COND, N_ASSIGN, N_SEQ } NodeKind;

typedef struct {
  NodeKind kind;
  char op;  // for N_BIN: + - * / % < = (equality) & |
  int64_t value;
  int var;
  int a, b, c;  // children (arena indices)
} Node;

#define MAX_NODES 4096
#define VARS 26

typedef struct {
  Node nodes[MAX_NODES];
  int count;
  const char* p;
  int error;
} Parser;

static int new_node(Parser* ps, NodeKind kind) {
  if (ps->count >= MAX_NODES) { ps->error = 1; return 0; }
  Node* n = &ps->nodes[ps->count];
  memset(n, 0, sizeof *n);
  n->kind = kind;
  return ps->count++;
}

static void skip_space(Parser* ps) { while (*ps->p == ' ') ++ps->p; }

static int binding_power(char op) {
  switch (op) {
    case '|': return 1;
    case '&': return 2;
    case '=': return 3;
    case '<': return 4;
    case '+': case '-': return 5;
    case '*': case '/': case '%': return 6;
    default: return 0;
  }
}

static int parse_expr(Parser* ps, int min_power);

static int parse_primary(Parser* ps) {
  skip_space(ps);
  char c = *ps->p;
  if (c >= '0' && c <= '9') {
    int n = new_node(ps, N_NUM);
    int64_t v = 0;
    while (*ps->p >= '0' && *ps->p <= '9') v = v * 10 + (*ps->p++ - '0');
    ps->nodes[n].value = v;
    return n;
  }
  if (c >= 'a' && c <= 'z') {
    ++ps->p;
    skip_space(ps);
    if (*ps->p == '=' && ps->p[1] != '=') {
      ++ps->p;
      int n = new_node(ps, N_ASSIGN);
      ps->nodes[n].var = c - 'a';
      ps->nodes[n].a = parse_expr(ps, 0);
      return n;
    }
    int n = new_node(ps, N_VAR);
    ps->nodes[n].var = c - 'a';
    return n;
  }
  if (c == '-') {
    ++ps->p;
    int n = new_node(ps, N_NEG);
    ps->nodes[n].a = parse_primary(ps);
    return n;
  }
  if (c == '(') {
    ++ps->p;
    int n = parse_expr(ps, 0);
    skip_space(ps);
    if (*ps->p != ')') ps->error = 1; else ++ps->p;
    return n;
  }
  ps->error = 1;
  return 0;
}

static int parse_expr(Parser* ps, int min_power) {
  int left = parse_primary(ps);
  for (;;) {
    skip_space(ps);
    char op = *ps->p;
    if (op == '?' && min_power == 0) {
      ++ps->p;
      int n = new_node(ps, N_COND);
      int then_branch = parse_expr(ps, 0);
      skip_space(ps);
      if (*ps->p != ':') { ps->error = 1; return n; }
      ++ps->p;
      int else_branch = parse_expr(ps, 0);
      ps->nodes[n].a = left;
      ps->nodes[n].b = then_branch;
      ps->nodes[n].c = else_branch;
      return n;
    }
    if (op == '=' && ps->p[1] == '=') op = '=';
    int power = binding_power(op);
    if (power == 0 || power <= min_power) return left;
    ps->p += (op == '=') ? 2 : 1;
    int right = parse_expr(ps, power);
    int n = new_node(ps, N_BIN);
    ps->nodes[n].op = op;
    ps->nodes[n].a = left;
    ps->nodes[n].b = right;
    left = n;
  }
}

static int parse_program(Parser* ps, const char* text) {
  ps->count = 0;
  ps->error = 0;
  ps->p = text;
  int first = parse_expr(ps, 0);
  for (;;) {
    skip_space(ps);
    if (*ps->p != ';') break;
    ++ps->p;
    int n = new_node(ps, N_SEQ);
    ps->nodes[n].a = first;
    ps->nodes[n].b = parse_expr(ps, 0);
    first = n;
  }
  if (*ps->p != '\0') ps->error = 1;
  return first;
}

static int64_t apply(char op, int64_t x, int64_t y) {
  switch (op) {
    case '+': return x + y;
    case '-': return x - y;
    case '*': return x * y;
    case '/': return y == 0 ? 0 : x / y;
    case '%': return y == 0 ? 0 : x % y;
    case '<': return x < y;
    case '=': return x == y;
    case '&': return x && y;
    case '|': return x || y;
    default: return 0;
  }
}

// Folds constant subtrees in place; returns 1 if the node is now a constant.
static int fold(Node* nodes, int i) {
  Node* n = &nodes[i];
  switch (n->kind) {
    case N_NUM: return 1;
    case N_NEG:
      if (fold(nodes, n->a)) { n->kind = N_NUM; n->value = -nodes[n->a].value; return 1; }
      return 0;
    case N_BIN: {
      int ca = fold(nodes, n->a), cb = fold(nodes, n->b);
      if (ca && cb) {
        n->value = apply(n->op, nodes[n->a].value, nodes[n->b].value);
        n->kind = N_NUM;
        return 1;
      }
      return 0;
    }
    case N_COND: fold(nodes, n->a); fold(nodes, n->b); fold(nodes, n->c); return 0;
    case N_ASSIGN: fold(nodes, n->a); return 0;
    case N_SEQ: fold(nodes, n->a); fold(nodes, n->b); return 0;
    default: return 0;
  }
}

static int64_t eval(const Node* nodes, int i, int64_t* vars) {
  const Node* n = &nodes[i];
  switch (n->kind) {
    case N_NUM: return n->value;
    case N_VAR: return vars[n->var];
    case N_NEG: return -eval(nodes, n->a, vars);
    case N_BIN: {
      int64_t x = eval(nodes, n->a, vars);
      if (n->op == '&' && !x) return 0;
      if (n->op == '|' && x) return 1;
      return apply(n->op, x, eval(nodes, n->b, vars));
    }
    case N_COND:
      return eval(nodes, n->a, vars) ? eval(nodes, n->b, vars) : eval(nodes, n->c, vars);
    case N_ASSIGN: return vars[n->var] = eval(nodes, n->a, vars);
    case N_SEQ: eval(nodes, n->a, vars); return eval(nodes, n->b, vars);
  }
  return 0;
}

static uint32_t rng = 2024;
static uint32_t next_random(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

static size_t gen_expr(char* out, size_t at, size_t cap, int depth) {
  static const char ops[] = "+-*/%<&|";
  uint32_t r = next_random();
  if (at + 64 >= cap) return at;
  if (depth == 0 || r % 5 == 0) {
    if (r & 32) return at + (size_t)snprintf(out + at, cap - at, "%c", 'a' + (int)(r >> 8) % 4);
    return at + (size_t)snprintf(out + at, cap - at, "%u", (r >> 8) % 100);
  }
  if (r % 7 == 1) {
    at += (size_t)snprintf(out + at, cap - at, "(");
    at = gen_expr(out, at, cap, depth - 1);
    at += (size_t)snprintf(out + at, cap - at, " ? ");
    at = gen_expr(out, at, cap, depth - 1);
    at += (size_t)snprintf(out + at, cap - at, " : ");
    at = gen_expr(out, at, cap, depth - 1);
    return at + (size_t)snprintf(out + at, cap - at, ")");
  }
  at += (size_t)snprintf(out + at, cap - at, "(");
  at = gen_expr(out, at, cap, depth - 1);
  char op = ops[(r >> 4) % 8];
  if (op == '<' && (r & 1)) at += (size_t)snprintf(out + at, cap - at, " == ");
  else at += (size_t)snprintf(out + at, cap - at, " %c ", op);
  at = gen_expr(out, at, cap, depth - 1);
  return at + (size_t)snprintf(out + at, cap - at, ")");
}

static Parser parser;

int main(void) {
  char text[2048];
  int64_t checksum = 0;
  for (int program = 0; program < 300; ++program) {
    size_t n = 0;
    for (int stmt = 0; stmt < 4; ++stmt) {
      n += (size_t)snprintf(text + n, sizeof text - n, "%s%c = ", stmt ? "; " : "", 'a' + stmt);
      n = gen_expr(text, n, sizeof text - 8, 4);
    }
    int root = parse_program(&parser, text);
    if (parser.error) {
      printf("expr: parse error in program %d: %s\n", program, text);
      return 1;
    }
    fold(parser.nodes, root);
    int64_t vars[VARS] = {1, 2, 3, 4};
    for (int run = 0; run < 200; ++run) {
      vars[0] += run;
      checksum = checksum * 31 + eval(parser.nodes, root, vars);
    }
  }
  printf("expr: checksum %016llx\n", (unsigned long long)checksum);
  return 0;
}
