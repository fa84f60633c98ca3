// A JSON tokenizer and recursive-descent parser over a generated document: counts values
// by kind, sums the numbers and hashes the strings (with escape decoding).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOC_CAPACITY (512 * 1024)

typedef enum { T_EOF, T_LBRACE, T_RBRACE, T_LBRACKET, T_RBRACKET, T_COLON, T_COMMA,
               T_STRING, T_NUMBER, T_TRUE, T_FALSE, T_NULL, T_ERROR } TokenKind;

typedef struct {
  const char* p;
  const char* end;
  TokenKind kind;
  double number;
  uint32_t string_hash;
} Lexer;

typedef struct {
  long objects, arrays, strings, numbers, literals;
  double number_sum;
  uint32_t string_hash;
} Stats;

static char doc[DOC_CAPACITY];

static uint32_t hex_digit(char c) {
  if (c >= '0' && c <= '9') return (uint32_t)(c - '0');
  if (c >= 'a' && c <= 'f') return (uint32_t)(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return (uint32_t)(c - 'A' + 10);
  return 16;
}

static TokenKind lex_string(Lexer* lx) {
  uint32_t h = 2166136261u;
  ++lx->p;  // opening quote
  while (lx->p < lx->end && *lx->p != '"') {
    uint32_t c = (unsigned char)*lx->p++;
    if (c == '\\') {
      if (lx->p >= lx->end) return T_ERROR;
      char e = *lx->p++;
      switch (e) {
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case 'r': c = '\r'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case '"': case '\\': case '/': c = (uint32_t)e; break;
        case 'u': {
          if (lx->end - lx->p < 4) return T_ERROR;
          c = 0;
          for (int i = 0; i < 4; ++i) {
            uint32_t d = hex_digit(*lx->p++);
            if (d > 15) return T_ERROR;
            c = c << 4 | d;
          }
          break;
        }
        default: return T_ERROR;
      }
    }
    h = (h ^ c) * 16777619u;
  }
  if (lx->p >= lx->end) return T_ERROR;
  ++lx->p;  // closing quote
  lx->string_hash = h;
  return T_STRING;
}

static TokenKind lex_number(Lexer* lx) {
  char* after;
  lx->number = strtod(lx->p, &after);
  if (after == lx->p) return T_ERROR;
  lx->p = after;
  return T_NUMBER;
}

static TokenKind lex_word(Lexer* lx, const char* word, TokenKind kind) {
  size_t n = strlen(word);
  if ((size_t)(lx->end - lx->p) < n || memcmp(lx->p, word, n) != 0) return T_ERROR;
  lx->p += n;
  return kind;
}

static void next(Lexer* lx) {
  while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\n' || *lx->p == '\t' || *lx->p == '\r'))
    ++lx->p;
  if (lx->p >= lx->end) { lx->kind = T_EOF; return; }
  switch (*lx->p) {
    case '{': ++lx->p; lx->kind = T_LBRACE; return;
    case '}': ++lx->p; lx->kind = T_RBRACE; return;
    case '[': ++lx->p; lx->kind = T_LBRACKET; return;
    case ']': ++lx->p; lx->kind = T_RBRACKET; return;
    case ':': ++lx->p; lx->kind = T_COLON; return;
    case ',': ++lx->p; lx->kind = T_COMMA; return;
    case '"': lx->kind = lex_string(lx); return;
    case 't': lx->kind = lex_word(lx, "true", T_TRUE); return;
    case 'f': lx->kind = lex_word(lx, "false", T_FALSE); return;
    case 'n': lx->kind = lex_word(lx, "null", T_NULL); return;
    default: lx->kind = lex_number(lx); return;
  }
}

static int parse_value(Lexer* lx, Stats* st, int depth);

static int parse_members(Lexer* lx, Stats* st, int depth, TokenKind close, int keyed) {
  next(lx);
  if (lx->kind == close) { next(lx); return 1; }
  for (;;) {
    if (keyed) {
      if (lx->kind != T_STRING) return 0;
      st->string_hash = st->string_hash * 31 + lx->string_hash;
      next(lx);
      if (lx->kind != T_COLON) return 0;
      next(lx);
    }
    if (!parse_value(lx, st, depth + 1)) return 0;
    if (lx->kind == close) { next(lx); return 1; }
    if (lx->kind != T_COMMA) return 0;
    next(lx);
  }
}

static int parse_value(Lexer* lx, Stats* st, int depth) {
  if (depth > 64) return 0;
  switch (lx->kind) {
    case T_LBRACE: st->objects++; return parse_members(lx, st, depth, T_RBRACE, 1);
    case T_LBRACKET: st->arrays++; return parse_members(lx, st, depth, T_RBRACKET, 0);
    case T_STRING:
      st->strings++;
      st->string_hash ^= lx->string_hash;
      next(lx);
      return 1;
    case T_NUMBER: st->numbers++; st->number_sum += lx->number; next(lx); return 1;
    case T_TRUE: case T_FALSE: case T_NULL: st->literals++; next(lx); return 1;
    default: return 0;
  }
}

// Emits an array of records such as {"id":12,"name":"item\u00e9 12","tags":["a","b"],...}.
static size_t generate(char* out, size_t capacity) {
  static const char* tags[] = {"red", "green", "blue", "tab\\there", "quote\\\"d", "\\u00e9t\\u00e9"};
  size_t n = 0;
  uint32_t seed = 99;
  n += (size_t)snprintf(out + n, capacity - n, "[\n");
  for (int id = 0; n + 512 < capacity; ++id) {
    seed = seed * 1664525u + 1013904223u;
    n += (size_t)snprintf(out + n, capacity - n,
                          "%s  {\"id\": %d, \"name\": \"item %d\", \"price\": %d.%02d, "
                          "\"ratio\": %.3e, \"active\": %s, \"parent\": null, \"tags\": [",
                          id ? ",\n" : "", id, id * 7, (int)(seed % 1000), (int)(seed >> 25) % 100,
                          (double)(seed >> 8) / 3.0e5, (seed & 1) ? "true" : "false");
    for (uint32_t t = 0; t < 1 + (seed >> 29); ++t)
      n += (size_t)snprintf(out + n, capacity - n, "%s\"%s\"", t ? ", " : "",
                            tags[(seed >> (3 * t)) % 6]);
    n += (size_t)snprintf(out + n, capacity - n, "], \"dims\": {\"w\": %u, \"h\": %u}}",
                          seed % 640, (seed >> 10) % 480);
  }
  n += (size_t)snprintf(out + n, capacity - n, "\n]\n");
  return n;
}

int main(void) {
  size_t size = generate(doc, sizeof doc);
  Stats total = {0};
  for (int pass = 0; pass < 4; ++pass) {
    Stats st = {0};
    Lexer lx = {doc, doc + size, T_EOF, 0, 0};
    next(&lx);
    if (!parse_value(&lx, &st, 0) || lx.kind != T_EOF) {
      printf("json: parse error at offset %ld\n", (long)(lx.p - doc));
      return 1;
    }
    total = st;
  }
  printf("json: %zu bytes, %ld objects %ld arrays %ld strings %ld numbers %ld literals, "
         "sum %.4f, hash %08x\n",
         size, total.objects, total.arrays, total.strings, total.numbers, total.literals,
         total.number_sum, total.string_hash);
  return 0;
}
