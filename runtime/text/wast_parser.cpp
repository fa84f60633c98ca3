// The WAST script parser: commands, actions, constant arguments and expected results of
// the spec test suite. Modules are kept as text (or bytes) for the runner to encode.
#include <string>

#include "runtime/text/lexer.h"
#include "runtime/text/number_literals.h"
#include "runtime/text/wast.h"
#include "runtime/text/wat_parser.h"

namespace kiln::wast {
namespace {

using text::LiteralStatus;
using text::Token;
using text::TokenCursor;
using text::TokenKind;

bool is_module_field(std::string_view kw) {
  return kw == "type" || kw == "import" || kw == "func" || kw == "table" || kw == "memory" ||
         kw == "global" || kw == "export" || kw == "start" || kw == "elem" || kw == "data";
}

class ScriptParser : TokenCursor {
 public:
  ScriptParser(std::string_view source, std::vector<Token> tokens)
      : TokenCursor(std::move(tokens)), source_(source) {}

  Result<Script> parse() {
    Script script;
    if (peek().kind == TokenKind::LParen && peek(1).kind == TokenKind::Keyword &&
        is_module_field(peek(1).text)) {
      // A script that is just module fields is one inline module (spec's WAST grammar).
      Command command;
      command.line = 1;
      command.module.emplace();
      command.module->text = std::string(source_);
      script.commands.push_back(std::move(command));
      return script;
    }
    while (peek().kind != TokenKind::Eof) {
      KILN_ASSIGN(Command command, parse_command());
      script.commands.push_back(std::move(command));
    }
    return script;
  }

 private:
  Error unexpected() const {
    if (peek().kind == TokenKind::Eof) return malformed(peek().offset, "unexpected end of input");
    return malformed(peek().offset, "unexpected token");
  }
  Status expect(TokenKind kind) {
    if (peek().kind != kind) return unexpected();
    next();
    return Ok{};
  }
  Result<std::string> parse_string() {
    if (peek().kind != TokenKind::String) return unexpected();
    const Token& t = next();
    std::string out;
    if (!text::decode_string(t.text, out)) return malformed(t.offset, "malformed string escape");
    return out;
  }
  std::optional<std::string> optional_id() {
    if (peek().kind != TokenKind::Id) return std::nullopt;
    return std::string(next().text);
  }
  size_t line_at(size_t offset) {
    // Lines are counted incrementally: commands come in source order.
    while (line_scan_ < offset && line_scan_ < source_.size()) {
      if (source_[line_scan_] == '\n') ++line_;
      ++line_scan_;
    }
    return line_;
  }

  Result<Command> parse_command();
  Result<ScriptModule> parse_module();
  Result<Action> parse_action();
  Result<Value> parse_const();
  Result<Expected> parse_expected();

  std::string_view source_;
  size_t line_ = 1;
  size_t line_scan_ = 0;
};

Result<ScriptModule> ScriptParser::parse_module() {
  ScriptModule module;
  module.offset = peek().offset;
  KILN_TRY(expect(TokenKind::LParen));
  if (!at_keyword("module")) return unexpected();
  next();
  module.name = optional_id();
  if (at_keyword("binary") || at_keyword("quote")) {
    bool binary = at_keyword("binary");
    next();
    module.form = binary ? ScriptModule::Form::Binary : ScriptModule::Form::Quote;
    std::string joined;
    bool first = true;
    while (peek().kind == TokenKind::String) {
      KILN_ASSIGN(std::string s, parse_string());
      if (binary) {
        module.binary.insert(module.binary.end(), s.begin(), s.end());
      } else {
        if (!first) joined += ' ';
        joined += s;
        first = false;
      }
    }
    if (!binary) module.text = std::move(joined);
    KILN_TRY(expect(TokenKind::RParen));
    return module;
  }
  module.form = ScriptModule::Form::Text;
  KILN_ASSIGN(size_t close, close_form());
  module.text = std::string(source_.substr(module.offset, close + 1 - module.offset));
  return module;
}

Result<Value> ScriptParser::parse_const() {
  KILN_TRY(expect(TokenKind::LParen));
  if (peek().kind != TokenKind::Keyword) return unexpected();
  const Token& op = next();
  Value value;
  auto number = [&]() -> Result<const Token*> {
    if (peek().kind != TokenKind::Number && peek().kind != TokenKind::Keyword) return unexpected();
    return &next();
  };
  auto fail = [&](const Token* t, LiteralStatus st) {
    return malformed(t->offset, st == LiteralStatus::Range ? "constant out of range" : "unexpected token");
  };
  if (op.text == "i32.const" || op.text == "i64.const") {
    value.type = op.text == "i32.const" ? ValType::I32 : ValType::I64;
    KILN_ASSIGN(const Token* t, number());
    LiteralStatus st = text::parse_int(t->text, value.type == ValType::I32 ? 32 : 64, value.bits);
    if (st != LiteralStatus::Ok) return fail(t, st);
  } else if (op.text == "f32.const") {
    value.type = ValType::F32;
    KILN_ASSIGN(const Token* t, number());
    uint32_t bits = 0;
    LiteralStatus st = text::parse_f32(t->text, bits);
    if (st != LiteralStatus::Ok) return fail(t, st);
    value.bits = bits;
  } else if (op.text == "f64.const") {
    value.type = ValType::F64;
    KILN_ASSIGN(const Token* t, number());
    LiteralStatus st = text::parse_f64(t->text, value.bits);
    if (st != LiteralStatus::Ok) return fail(t, st);
  } else if (op.text == "v128.const") {
    value.type = ValType::V128;
    // Reuse the instruction encoder for the shape and lanes: collect the tokens up to `)`.
    std::vector<Token> sub;
    while (peek().kind != TokenKind::RParen && peek().kind != TokenKind::Eof) sub.push_back(next());
    sub.push_back(Token{TokenKind::Eof, {}, peek().offset});
    text::WatParser parser(source_, std::move(sub));
    text::Bytes bytes;
    KILN_TRY(parser.parse_v128_const(bytes));
    if (parser.peek().kind != TokenKind::Eof) return parser.unexpected();
    std::copy(bytes.begin(), bytes.end(), value.v128.begin());
  } else if (op.text == "ref.null") {
    if (at_keyword("func"))
      value.type = ValType::FuncRef;
    else if (at_keyword("extern"))
      value.type = ValType::ExternRef;
    else
      return unexpected();
    next();
    value.is_null = true;
  } else if (op.text == "ref.extern") {
    value.type = ValType::ExternRef;
    if (peek().kind != TokenKind::Number) return unexpected();
    const Token& t = next();
    if (text::parse_u32(t.text, value.extern_id) != LiteralStatus::Ok)
      return malformed(t.offset, "constant out of range");
  } else {
    return malformed(op.offset, "unknown operator");
  }
  KILN_TRY(expect(TokenKind::RParen));
  return value;
}

Result<Expected> ScriptParser::parse_expected() {
  Expected expected;
  auto nan_kind = [](std::string_view s) -> std::optional<Expected::Kind> {
    if (s == "nan:canonical") return Expected::Kind::NanCanonical;
    if (s == "nan:arithmetic") return Expected::Kind::NanArithmetic;
    return std::nullopt;
  };
  if (peek().kind == TokenKind::LParen && peek(1).kind == TokenKind::Keyword) {
    std::string_view op = peek(1).text;
    if ((op == "f32.const" || op == "f64.const") && peek(2).kind == TokenKind::Keyword &&
        nan_kind(peek(2).text)) {
      next();
      next();
      expected.kind = *nan_kind(next().text);
      expected.value.type = op == "f32.const" ? ValType::F32 : ValType::F64;
      KILN_TRY(expect(TokenKind::RParen));
      return expected;
    }
    if (op == "ref.func" || (op == "ref.extern" && peek(2).kind == TokenKind::RParen)) {
      next();
      next();
      expected.kind = op == "ref.func" ? Expected::Kind::RefFunc : Expected::Kind::RefExtern;
      expected.value.type = op == "ref.func" ? ValType::FuncRef : ValType::ExternRef;
      if (peek().kind == TokenKind::Number || peek().kind == TokenKind::Id) next();
      KILN_TRY(expect(TokenKind::RParen));
      return expected;
    }
    if (op == "v128.const" && (at_keyword("f32x4", 2) || at_keyword("f64x2", 2))) {
      bool has_nan_lane = false;
      for (size_t k = 3; peek(k).kind != TokenKind::RParen && peek(k).kind != TokenKind::Eof; ++k)
        if (peek(k).kind == TokenKind::Keyword && nan_kind(peek(k).text)) has_nan_lane = true;
      if (has_nan_lane) {
        next();
        next();
        const bool is32 = at_keyword("f32x4");
        next();
        expected.kind = Expected::Kind::V128Lanes;
        expected.value.type = ValType::V128;
        expected.lane_type = is32 ? ValType::F32 : ValType::F64;
        const unsigned count = is32 ? 4 : 2;
        for (unsigned i = 0; i < count; ++i) {
          if (peek().kind != TokenKind::Number && peek().kind != TokenKind::Keyword)
            return malformed(peek().offset, "wrong number of lane literals");
          const Token& t = next();
          if (auto kind = nan_kind(t.text)) {
            expected.lane_kinds.push_back(*kind);
            expected.lane_bits.push_back(0);
            continue;
          }
          uint64_t bits = 0;
          uint32_t b32 = 0;
          LiteralStatus st = is32 ? text::parse_f32(t.text, b32) : text::parse_f64(t.text, bits);
          if (st != LiteralStatus::Ok) return malformed(t.offset, "unexpected token");
          if (is32) bits = b32;
          const unsigned width = is32 ? 4 : 8;
          for (unsigned b = 0; b < width; ++b)
            expected.value.v128[i * width + b] = static_cast<uint8_t>(bits >> (8 * b));
          expected.lane_kinds.push_back(Expected::Kind::Exact);
          expected.lane_bits.push_back(bits);
        }
        KILN_TRY(expect(TokenKind::RParen));
        return expected;
      }
    }
  }
  KILN_ASSIGN(expected.value, parse_const());
  return expected;
}

Result<Action> ScriptParser::parse_action() {
  Action action;
  KILN_TRY(expect(TokenKind::LParen));
  if (at_keyword("invoke")) {
    action.kind = Action::Kind::Invoke;
  } else if (at_keyword("get")) {
    action.kind = Action::Kind::Get;
  } else {
    return unexpected();
  }
  next();
  action.module = optional_id();
  KILN_ASSIGN(action.field, parse_string());
  while (peek().kind == TokenKind::LParen) {
    KILN_ASSIGN(Value value, parse_const());
    action.args.push_back(value);
  }
  KILN_TRY(expect(TokenKind::RParen));
  return action;
}

Result<Command> ScriptParser::parse_command() {
  Command command;
  if (peek().kind != TokenKind::LParen || peek(1).kind != TokenKind::Keyword) return unexpected();
  command.line = line_at(peek().offset);
  std::string_view kw = peek(1).text;
  if (kw == "module") {
    command.kind = Command::Kind::Module;
    KILN_ASSIGN(command.module, parse_module());
    return command;
  }
  if (kw == "invoke" || kw == "get") {
    command.kind = Command::Kind::Action;
    KILN_ASSIGN(command.action, parse_action());
    return command;
  }
  next();
  next();
  if (kw == "register") {
    command.kind = Command::Kind::Register;
    KILN_ASSIGN(command.register_as, parse_string());
    command.register_module = optional_id();
  } else if (kw == "assert_return") {
    command.kind = Command::Kind::AssertReturn;
    KILN_ASSIGN(command.action, parse_action());
    while (peek().kind == TokenKind::LParen) {
      KILN_ASSIGN(Expected expected, parse_expected());
      command.expected.push_back(std::move(expected));
    }
  } else if (kw == "assert_trap" || kw == "assert_exhaustion") {
    command.kind = kw == "assert_trap" ? Command::Kind::AssertTrap : Command::Kind::AssertExhaustion;
    if (at_form("module")) {
      KILN_ASSIGN(command.module, parse_module());
    } else {
      KILN_ASSIGN(command.action, parse_action());
    }
    KILN_ASSIGN(command.message, parse_string());
  } else if (kw == "assert_malformed" || kw == "assert_invalid" || kw == "assert_unlinkable" ||
             kw == "assert_uninstantiable") {
    command.kind = kw == "assert_malformed"    ? Command::Kind::AssertMalformed
                   : kw == "assert_invalid"    ? Command::Kind::AssertInvalid
                   : kw == "assert_unlinkable" ? Command::Kind::AssertUnlinkable
                                               : Command::Kind::AssertUninstantiable;
    KILN_ASSIGN(command.module, parse_module());
    KILN_ASSIGN(command.message, parse_string());
  } else {
    return malformed(tokens_[pos_ - 1].offset, "unexpected token");
  }
  KILN_TRY(expect(TokenKind::RParen));
  return command;
}

}  // namespace

Result<Script> parse_script(std::string_view source) {
  auto tokens = text::tokenize(source);
  if (!tokens.ok()) return std::move(tokens).error();
  ScriptParser parser(source, std::move(tokens).value());
  return parser.parse();
}

}  // namespace kiln::wast
