// Tokens of the WebAssembly text format (spec 6.2) and the helpers that decode them: the
// lexer splits a source into parentheses, keywords, ids, numbers and strings, and decodes
// string escapes. Shared by the WAT parser and the WAST script parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/result.h"

namespace kiln::text {

enum class TokenKind : uint8_t {
  LParen,
  RParen,
  Keyword,   ///< starts with a lowercase letter, idchars only (includes inf, nan, offset=4)
  Id,        ///< `$` followed by idchars
  Number,    ///< starts with a digit or a sign, idchars only (syntax checked when used)
  String,    ///< one quoted string, escapes still encoded
  Reserved,  ///< anything else (the spec's "reserved" tokens); the parser rejects it
  Eof,
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  std::string_view text;  ///< the token's source text (strings keep their quotes)
  size_t offset = 0;      ///< byte offset in the source
};

/// Splits `source` into tokens, ending with one Eof token. Fails only on an unterminated
/// string or block comment (or a string with a raw control character).
Result<std::vector<Token>> tokenize(std::string_view source);

/// Decodes a String token's text (with its quotes) into bytes; false on a bad escape.
bool decode_string(std::string_view quoted, std::string& out);

/// Whether `bytes` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

/// 1-based line of a byte offset.
size_t line_of(std::string_view source, size_t offset);

}  // namespace kiln::text
