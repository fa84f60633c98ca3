// Types and indices in the text format (spec 6.4 and 6.6.x): value and reference types,
// function signatures, type uses with the implicit type definitions they create, and
// index references by number or `$name`.
#include <string>

#include "runtime/text/number_literals.h"
#include "runtime/text/wat_parser.h"

namespace kiln::text {

std::optional<ValType> WatParser::peek_val_type() const {
  const Token& t = peek();
  if (t.kind != TokenKind::Keyword) return std::nullopt;
  std::string_view s = t.text;
  if (s == "i32") return ValType::I32;
  if (s == "i64") return ValType::I64;
  if (s == "f32") return ValType::F32;
  if (s == "f64") return ValType::F64;
  if (s == "v128") return ValType::V128;
  if (s == "funcref") return ValType::FuncRef;
  if (s == "externref") return ValType::ExternRef;
  return std::nullopt;
}

Result<ValType> WatParser::parse_val_type() {
  auto type = peek_val_type();
  if (!type && peek().kind == TokenKind::Keyword)
    return malformed(peek().offset, "unknown operator " + std::string(peek().text));
  if (!type) return unexpected();
  next();
  return *type;
}

Result<ValType> WatParser::parse_ref_type() {
  auto type = peek_val_type();
  if (!type || !is_reference(*type)) return unexpected();
  next();
  return *type;
}

/// `(param ...)* (result ...)*` after `func` in a type definition or in a type use.
/// Parameter ids are allowed only when `names` is given.
Result<FuncType> WatParser::parse_func_type_body(
    std::vector<std::optional<std::string_view>>* names, bool allow_ids) {
  FuncType type;
  while (at_form("param")) {
    next();
    next();
    if (peek().kind == TokenKind::Id) {
      if (!allow_ids) return unexpected();
      const Token& id = next();
      KILN_ASSIGN(ValType t, parse_val_type());
      type.params.push_back(t);
      if (names) names->push_back(id.text);
    } else {
      while (peek().kind != TokenKind::RParen) {
        KILN_ASSIGN(ValType t, parse_val_type());
        type.params.push_back(t);
        if (names) names->push_back(std::nullopt);
      }
    }
    KILN_TRY(expect(TokenKind::RParen));
  }
  while (at_form("result")) {
    next();
    next();
    while (peek().kind != TokenKind::RParen) {
      KILN_ASSIGN(ValType t, parse_val_type());
      type.results.push_back(t);
    }
    KILN_TRY(expect(TokenKind::RParen));
  }
  return type;
}

uint32_t WatParser::intern_type(const FuncType& type) {
  for (size_t i = 0; i < module_.types.size(); ++i)
    if (module_.types[i] == type) return static_cast<uint32_t>(i);
  module_.types.push_back(type);
  return static_cast<uint32_t>(module_.types.size() - 1);
}

/// typeuse: `(type x)? (param ...)* (result ...)*`. Names are collected only when
/// `allow_names`; otherwise a named parameter is a syntax error.
Result<TypeUse> WatParser::parse_type_use(bool allow_names) {
  TypeUse use;
  std::optional<uint32_t> explicit_index;
  size_t type_offset = peek().offset;
  if (at_form("type")) {
    next();
    next();
    KILN_ASSIGN(uint32_t index, parse_index(Space::Type));
    explicit_index = index;
    KILN_TRY(expect(TokenKind::RParen));
  }
  bool has_inline = at_form("param") || at_form("result");
  std::vector<std::optional<std::string_view>> names;
  KILN_ASSIGN(FuncType inline_type, parse_func_type_body(&names, allow_names));
  if (at_form("type") || at_form("param") || at_form("result")) {
    next();
    return unexpected();
  }
  if (explicit_index) {
    use.index = *explicit_index;
    if (use.index < module_.types.size()) {
      const FuncType& defined = module_.types[use.index];
      if (has_inline && defined != inline_type)
        return malformed(type_offset, "inline function type");
      use.type = defined;
      if (has_inline)
        use.param_names = std::move(names);
      else
        use.param_names.assign(defined.params.size(), std::nullopt);
    } else {
      if (has_inline) return malformed(type_offset, "unknown type");
      use.type = inline_type;
    }
    return use;
  }
  use.index = intern_type(inline_type);
  use.type = std::move(inline_type);
  use.param_names = std::move(names);
  return use;
}

Result<uint32_t> WatParser::parse_u32_token(const char* range_message) {
  const Token& t = peek();
  if (t.kind != TokenKind::Number) return unexpected();
  uint32_t value = 0;
  switch (parse_u32(t.text, value)) {
    case LiteralStatus::Ok: next(); return value;
    case LiteralStatus::Range: return malformed(t.offset, range_message);
    case LiteralStatus::Syntax: break;
  }
  // Not a natural number: a reserved token unless it is some other number.
  uint64_t bits = 0;
  if (parse_int(t.text, 64, bits) == LiteralStatus::Syntax &&
      parse_f64(t.text, bits) == LiteralStatus::Syntax)
    return malformed(t.offset, "unknown operator");
  return unexpected();
}

Result<uint32_t> WatParser::parse_index(Space space) {
  const Token& t = peek();
  if (t.kind == TokenKind::Number) return parse_u32_token("constant out of range");
  if (t.kind != TokenKind::Id) return unexpected();
  const auto& names = names_[static_cast<size_t>(space)];
  auto it = names.find(t.text);
  if (it == names.end()) {
    static constexpr const char* kNames[kSpaceCount] = {"func",  "table", "memory", "global",
                                                        "type",  "elem",  "data"};
    return malformed(t.offset, std::string("unknown ") + kNames[static_cast<size_t>(space)]);
  }
  next();
  return it->second;
}

}  // namespace kiln::text
