// Tokens of the WebAssembly text format (spec 6.2) and the helpers that decode them: the
// lexer splits a source into parentheses, keywords, ids, numbers and strings, and decodes
// string escapes. Shared by the WAT parser and the WAST script parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
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

/// A read position in a token list that ends with Eof, with the lookahead both parsers use.
/// Reading past the end keeps returning the Eof token.
class TokenCursor {
 public:
  explicit TokenCursor(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  const Token& peek(size_t ahead = 0) const {
    const size_t i = pos_ + ahead;
    return i < tokens_.size() ? tokens_[i] : tokens_.back();
  }
  const Token& next() {
    const Token& token = peek();
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return token;
  }
  bool at_keyword(std::string_view keyword, size_t ahead = 0) const {
    const Token& token = peek(ahead);
    return token.kind == TokenKind::Keyword && token.text == keyword;
  }
  /// At `(keyword`.
  bool at_form(std::string_view keyword) const {
    return peek().kind == TokenKind::LParen && at_keyword(keyword, 1);
  }
  /// Consumes tokens up to and including the `)` that closes a form whose `(` was already
  /// read, and returns that `)`'s offset; "unexpected end of input" if it never closes.
  Result<size_t> close_form() {
    for (size_t depth = 1;;) {
      const Token& token = next();
      if (token.kind == TokenKind::Eof) {
        return Error{ErrorKind::Malformed, token.offset, "unexpected end of input"};
      }
      if (token.kind == TokenKind::LParen) ++depth;
      if (token.kind == TokenKind::RParen && --depth == 0) return token.offset;
    }
  }

 protected:
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

/// Splits `source` into tokens, ending with one Eof token. Fails only on an unterminated
/// string or block comment (or a string with a raw control character).
Result<std::vector<Token>> tokenize(std::string_view source);

/// Decodes a String token's text (with its quotes) into bytes; false on a bad escape.
bool decode_string(std::string_view quoted, std::string& out);

/// 1-based line of a byte offset.
size_t line_of(std::string_view source, size_t offset);

}  // namespace kiln::text
