// The text-format lexer (spec 6.2.x): whitespace, line and nested block comments, and a
// maximal-munch split of everything else into tokens delimited by spaces and parentheses.
#include "runtime/text/lexer.h"

#include <algorithm>

namespace kiln::text {
namespace {

bool is_idchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '/': case ':': case '<': case '=': case '>': case '?':
    case '@': case '\\': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

}  // namespace

Result<std::vector<Token>> tokenize(std::string_view src) {
  std::vector<Token> tokens;
  size_t i = 0;
  const size_t n = src.size();
  while (i < n) {
    char c = src[i];
    if (is_space(c)) {
      ++i;
      continue;
    }
    if (c == ';' && i + 1 < n && src[i + 1] == ';') {
      // A line comment ends at a newline or a carriage return (spec 6.2.4: either ends a line).
      while (i < n && src[i] != '\n' && src[i] != '\r') ++i;
      continue;
    }
    if (c == '(' && i + 1 < n && src[i + 1] == ';') {
      size_t start = i;
      int depth = 0;
      while (true) {
        if (i + 1 >= n) return malformed(start, "unclosed comment");
        if (src[i] == '(' && src[i + 1] == ';') {
          ++depth;
          i += 2;
        } else if (src[i] == ';' && src[i + 1] == ')') {
          i += 2;
          if (--depth == 0) break;
        } else {
          ++i;
        }
      }
      continue;
    }
    if (c == '(') {
      tokens.push_back({TokenKind::LParen, src.substr(i, 1), i});
      ++i;
      continue;
    }
    if (c == ')') {
      tokens.push_back({TokenKind::RParen, src.substr(i, 1), i});
      ++i;
      continue;
    }
    // A maximal run of non-space, non-parenthesis characters; strings inside are skipped
    // whole so that `"a b"` is one token.
    size_t start = i;
    bool all_idchars = true;
    size_t strings = 0;
    while (i < n && !is_space(src[i]) && src[i] != '(' && src[i] != ')') {
      if (src[i] == ';' && i + 1 < n && src[i + 1] == ';') break;
      if (src[i] == '"') {
        ++strings;
        all_idchars = false;
        size_t quote = i++;
        while (true) {
          if (i >= n) return malformed(quote, "unclosed string");
          char s = src[i];
          if (s == '"') break;
          if (s == '\n' || (static_cast<unsigned char>(s) < 0x20 && s != '\t') || s == 0x7f)
            return malformed(i, "illegal character in string");
          if (s == '\\' && i + 1 < n) ++i;
          ++i;
        }
        ++i;
        continue;
      }
      if (!is_idchar(src[i])) all_idchars = false;
      ++i;
    }
    std::string_view text = src.substr(start, i - start);
    TokenKind kind = TokenKind::Reserved;
    if (strings == 1 && text.front() == '"' && text.back() == '"' && text.size() >= 2) {
      kind = TokenKind::String;
    } else if (all_idchars) {
      if (text[0] == '$' && text.size() > 1)
        kind = TokenKind::Id;
      else if (text[0] >= 'a' && text[0] <= 'z')
        kind = TokenKind::Keyword;
      else if ((text[0] >= '0' && text[0] <= '9') || text[0] == '+' || text[0] == '-')
        kind = TokenKind::Number;
    }
    tokens.push_back({kind, text, start});
  }
  tokens.push_back({TokenKind::Eof, src.substr(n), n});
  return tokens;
}

bool decode_string(std::string_view quoted, std::string& out) {
  out.clear();
  if (quoted.size() < 2) return false;
  std::string_view s = quoted.substr(1, quoted.size() - 2);
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= s.size()) return false;
    char e = s[i];
    switch (e) {
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case '\\': out.push_back('\\'); break;
      case '\'': out.push_back('\''); break;
      case '"': out.push_back('"'); break;
      case 'u': {
        if (i + 1 >= s.size() || s[i + 1] != '{') return false;
        i += 2;
        uint32_t cp = 0;
        size_t digits = 0;
        while (i < s.size() && s[i] != '}') {
          if (s[i] == '_' && digits > 0) { ++i; continue; }
          int h = hex_value(s[i]);
          if (h < 0) return false;
          cp = cp * 16 + static_cast<uint32_t>(h);
          if (cp > 0x10ffff) return false;
          ++digits;
          ++i;
        }
        if (i >= s.size() || digits == 0) return false;
        if (cp >= 0xd800 && cp < 0xe000) return false;
        append_utf8(out, cp);
        break;
      }
      default: {
        int h1 = hex_value(e);
        int h2 = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
        if (h1 < 0 || h2 < 0) return false;
        out.push_back(static_cast<char>(h1 * 16 + h2));
        ++i;
      }
    }
  }
  return true;
}

size_t line_of(std::string_view source, size_t offset) {
  offset = std::min(offset, source.size());
  return 1 + static_cast<size_t>(std::count(source.begin(), source.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

}  // namespace kiln::text
