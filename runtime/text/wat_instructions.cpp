// Instructions in the text format (spec 6.5): plain and folded forms, structured control
// with labels, and immediates parsed generically by the opcode table's ImmediateKind.
// Flat blocks are tracked on an explicit stack; only folded nesting recurses, to a bound.
#include <bit>
#include <string>

#include "runtime/text/number_literals.h"
#include "runtime/text/wat_parser.h"

namespace kiln::text {
namespace {

constexpr int kMaxFoldedDepth = 500;

void emit_opcode(Bytes& out, const OpcodeInfo& info) {
  if (info.prefix != 0) {
    out.push_back(info.prefix);
    write_u32(out, info.code);
  } else {
    out.push_back(static_cast<uint8_t>(info.code));
  }
}

bool is_structured(std::string_view kw) { return kw == "block" || kw == "loop" || kw == "if"; }

/// Keywords that open a clause, never an instruction; seeing one where an instruction
/// should be is a syntax error rather than an unknown operator.
bool is_clause_keyword(std::string_view kw) {
  return kw == "param" || kw == "result" || kw == "type" || kw == "local" || kw == "then" ||
         kw == "else" || kw == "export" || kw == "import" || kw == "item" || kw == "offset" ||
         kw == "mut";
}

}  // namespace

Status WatParser::parse_const_expr(Bytes& out) {
  FuncContext ctx;
  KILN_TRY(parse_instrs(out, ctx));
  out.push_back(0x0b);
  return Ok{};
}

Status WatParser::check_label_match(const std::optional<std::string_view>& label) {
  if (peek().kind != TokenKind::Id) return Ok{};
  const Token& id = next();
  if (!label || *label != id.text) return malformed(id.offset, "mismatching label");
  return Ok{};
}

/// A sequence of instructions, up to a `)` or the end of input. Flat `block`/`loop`/`if`
/// opened here must be closed here.
Status WatParser::parse_instrs(Bytes& out, FuncContext& ctx) {
  std::vector<char> open;  // 'b' block/loop, 'i' if, 'e' if after else
  while (true) {
    const Token& t = peek();
    if (t.kind == TokenKind::LParen) {
      KILN_TRY(parse_folded(out, ctx));
      continue;
    }
    if (t.kind != TokenKind::Keyword) break;
    std::string_view kw = t.text;
    if (is_structured(kw)) {
      next();
      std::optional<std::string_view> label;
      if (peek().kind == TokenKind::Id) label = next().text;
      emit_opcode(out, opcode_info(*opcode_from_text(kw)));
      KILN_TRY(parse_block_type(out));
      ctx.labels.push_back(label);
      open.push_back(kw == "if" ? 'i' : 'b');
      continue;
    }
    if (kw == "else") {
      if (open.empty() || open.back() != 'i') return unexpected();
      next();
      KILN_TRY(check_label_match(ctx.labels.back()));
      out.push_back(0x05);
      open.back() = 'e';
      continue;
    }
    if (kw == "end") {
      if (open.empty()) return unexpected();
      next();
      KILN_TRY(check_label_match(ctx.labels.back()));
      out.push_back(0x0b);
      open.pop_back();
      ctx.labels.pop_back();
      continue;
    }
    KILN_TRY(parse_plain(out, ctx, false));
  }
  if (!open.empty()) return unexpected();
  return Ok{};
}

Status WatParser::parse_folded(Bytes& out, FuncContext& ctx) {
  KILN_TRY(expect(TokenKind::LParen));
  if (peek().kind != TokenKind::Keyword) return unexpected();
  std::string_view kw = peek().text;
  if (is_clause_keyword(kw)) return unexpected();
  if (depth_ >= kMaxFoldedDepth) return error_here("nesting too deep");
  ++depth_;
  struct DepthGuard {
    int& depth;
    ~DepthGuard() { --depth; }
  } guard{depth_};

  if (kw == "block" || kw == "loop") {
    next();
    std::optional<std::string_view> label;
    if (peek().kind == TokenKind::Id) label = next().text;
    emit_opcode(out, opcode_info(*opcode_from_text(kw)));
    KILN_TRY(parse_block_type(out));
    ctx.labels.push_back(label);
    KILN_TRY(parse_instrs(out, ctx));
    ctx.labels.pop_back();
    out.push_back(0x0b);
    return expect(TokenKind::RParen);
  }
  if (kw == "if") {
    next();
    std::optional<std::string_view> label;
    if (peek().kind == TokenKind::Id) label = next().text;
    Bytes head;
    emit_opcode(head, opcode_info(Opcode::If));
    KILN_TRY(parse_block_type(head));
    while (peek().kind == TokenKind::LParen && !at_keyword("then", 1))
      KILN_TRY(parse_folded(out, ctx));
    out.insert(out.end(), head.begin(), head.end());
    ctx.labels.push_back(label);
    if (!at_form("then")) return unexpected();
    next();
    next();
    KILN_TRY(parse_instrs(out, ctx));
    KILN_TRY(expect(TokenKind::RParen));
    if (at_form("else")) {
      next();
      next();
      out.push_back(0x05);
      KILN_TRY(parse_instrs(out, ctx));
      KILN_TRY(expect(TokenKind::RParen));
    }
    ctx.labels.pop_back();
    out.push_back(0x0b);
    return expect(TokenKind::RParen);
  }
  Bytes op;
  KILN_TRY(parse_plain(op, ctx, true));
  while (peek().kind == TokenKind::LParen) KILN_TRY(parse_folded(out, ctx));
  out.insert(out.end(), op.begin(), op.end());
  return expect(TokenKind::RParen);
}

/// blocktype: `(type x)? (param t*)* (result t*)*`, encoded as 0x40, one value type, or a
/// type index when it has parameters, several results or an explicit type.
Status WatParser::parse_block_type(Bytes& out) {
  bool has_type = at_form("type");
  bool has_params = at_form("param");
  if (!has_type && !has_params) {
    std::vector<ValType> results;
    size_t save = pos_;
    while (at_form("result")) {
      next();
      next();
      while (peek().kind != TokenKind::RParen) {
        KILN_ASSIGN(ValType t, parse_val_type());
        results.push_back(t);
      }
      next();
    }
    if (at_form("type") || at_form("param")) {
      next();
      return unexpected();
    }
    if (results.empty()) {
      out.push_back(0x40);
      return Ok{};
    }
    if (results.size() == 1) {
      out.push_back(static_cast<uint8_t>(results[0]));
      return Ok{};
    }
    pos_ = save;
  }
  KILN_ASSIGN(TypeUse use, parse_type_use(false));
  write_s64(out, use.index);
  return Ok{};
}

Result<uint32_t> WatParser::parse_label(FuncContext& ctx) {
  const Token& t = peek();
  if (t.kind == TokenKind::Id) {
    for (size_t i = ctx.labels.size(); i-- > 0;) {
      if (ctx.labels[i] && *ctx.labels[i] == t.text) {
        next();
        return static_cast<uint32_t>(ctx.labels.size() - 1 - i);
      }
    }
    return malformed(t.offset, "unknown label");
  }
  return parse_u32_token("constant out of range");
}

Result<uint32_t> WatParser::parse_local(FuncContext& ctx) {
  const Token& t = peek();
  if (t.kind == TokenKind::Id) {
    auto it = ctx.locals.find(t.text);
    if (it == ctx.locals.end()) return malformed(t.offset, "unknown local");
    next();
    return it->second;
  }
  return parse_u32_token("constant out of range");
}

/// An instruction keyword and its immediates (no folded operands).
Status WatParser::parse_plain(Bytes& out, FuncContext& ctx, bool folded) {
  const Token& t = peek();
  if (t.kind != TokenKind::Keyword) return unexpected();
  if (is_structured(t.text) || t.text == "else" || t.text == "end" || is_clause_keyword(t.text))
    return unexpected();
  auto op = opcode_from_text(t.text);
  if (!op) return malformed(t.offset, "unknown operator " + std::string(t.text));
  next();
  if (*op == Opcode::Select) {
    // `select (result t)*`: typed select (0x1c) whenever a result clause is present.
    if (!at_form("result")) {
      out.push_back(0x1b);
      return Ok{};
    }
    std::vector<ValType> types;
    while (at_form("result")) {
      next();
      next();
      while (peek().kind != TokenKind::RParen) {
        KILN_ASSIGN(ValType type, parse_val_type());
        types.push_back(type);
      }
      next();
    }
    emit_opcode(out, opcode_info(Opcode::SelectT));
    write_u32(out, static_cast<uint32_t>(types.size()));
    for (ValType type : types) out.push_back(static_cast<uint8_t>(type));
    return Ok{};
  }
  emit_opcode(out, opcode_info(*op));
  return parse_immediates(*op, out, ctx, folded);
}

Status WatParser::parse_memarg(const OpcodeInfo& info, Bytes& out) {
  uint64_t offset = 0;
  uint32_t align = info.arg;
  if (peek().kind == TokenKind::Keyword && peek().text.starts_with("offset=")) {
    const Token& t = next();
    switch (parse_u64(t.text.substr(7), offset)) {
      case LiteralStatus::Ok: break;
      case LiteralStatus::Range: return malformed(t.offset, "i32 constant out of range");
      case LiteralStatus::Syntax: return malformed(t.offset, "unknown operator");
    }
    if (offset > UINT32_MAX) return malformed(t.offset, "i32 constant out of range");
  }
  if (peek().kind == TokenKind::Keyword && peek().text.starts_with("align=")) {
    const Token& t = next();
    switch (parse_u32(t.text.substr(6), align)) {
      case LiteralStatus::Ok: break;
      case LiteralStatus::Range: return malformed(t.offset, "i32 constant out of range");
      case LiteralStatus::Syntax: return malformed(t.offset, "unknown operator");
    }
    if (!std::has_single_bit(align)) return malformed(t.offset, "alignment must be a power of two");
  }
  write_u32(out, static_cast<uint32_t>(std::countr_zero(align)));
  write_u32(out, static_cast<uint32_t>(offset));
  return Ok{};
}

namespace {

/// A lane index token: a natural number below 256.
Result<uint8_t> lane_index(WatParser& p) {
  const Token& t = p.peek();
  if (t.kind != TokenKind::Number) return p.unexpected();
  uint32_t lane = 0;
  LiteralStatus st = parse_u32(t.text, lane);
  if (st == LiteralStatus::Syntax) return p.unexpected();
  if (st == LiteralStatus::Range || lane > 255) return malformed(t.offset, "malformed lane index");
  p.next();
  return static_cast<uint8_t>(lane);
}

}  // namespace

Status WatParser::parse_immediates(Opcode op, Bytes& out, FuncContext& ctx, bool folded) {
  const OpcodeInfo& info = opcode_info(op);
  switch (info.immediate) {
    case ImmediateKind::None:
    case ImmediateKind::BlockType:
    case ImmediateKind::SelectTypes:
      return Ok{};
    case ImmediateKind::Label: {
      KILN_ASSIGN(uint32_t label, parse_label(ctx));
      write_u32(out, label);
      return Ok{};
    }
    case ImmediateKind::LabelTable: {
      std::vector<uint32_t> labels;
      while (at_index()) {
        KILN_ASSIGN(uint32_t label, parse_label(ctx));
        labels.push_back(label);
      }
      if (labels.empty()) return unexpected();
      write_u32(out, static_cast<uint32_t>(labels.size() - 1));
      for (uint32_t label : labels) write_u32(out, label);
      return Ok{};
    }
    case ImmediateKind::Func:
      return parse_index_into(Space::Func, out);
    case ImmediateKind::CallIndirect: {
      uint32_t table = 0;
      if (at_index()) {
        KILN_ASSIGN(table, parse_index(Space::Table));
      }
      KILN_ASSIGN(TypeUse use, parse_type_use(false));
      write_u32(out, use.index);
      write_u32(out, table);
      return Ok{};
    }
    case ImmediateKind::Local: {
      KILN_ASSIGN(uint32_t index, parse_local(ctx));
      write_u32(out, index);
      return Ok{};
    }
    case ImmediateKind::Global:
      return parse_index_into(Space::Global, out);
    case ImmediateKind::Table: {
      uint32_t index = 0;
      if (at_index()) {
        KILN_ASSIGN(index, parse_index(Space::Table));
      }
      write_u32(out, index);
      return Ok{};
    }
    case ImmediateKind::Memory: {
      uint32_t index = 0;
      if (at_index()) {
        KILN_ASSIGN(index, parse_index(Space::Memory));
      }
      write_u32(out, index);
      return Ok{};
    }
    case ImmediateKind::MemArg:
      return parse_memarg(info, out);
    case ImmediateKind::MemArgLane: {
      KILN_TRY(parse_memarg(info, out));
      KILN_ASSIGN(uint8_t lane, lane_index(*this));
      out.push_back(lane);
      return Ok{};
    }
    case ImmediateKind::Lane: {
      KILN_ASSIGN(uint8_t lane, lane_index(*this));
      out.push_back(lane);
      return Ok{};
    }
    case ImmediateKind::Shuffle: {
      std::vector<const Token*> lanes;
      while (peek().kind == TokenKind::Number ||
             (peek().kind == TokenKind::Keyword &&
              (peek().text.starts_with("inf") || peek().text.starts_with("nan"))))
        lanes.push_back(&next());
      if (lanes.size() != 16) return error_here("invalid lane length");
      for (const Token* lane : lanes) {
        uint32_t value = 0;
        if (parse_u32(lane->text, value) != LiteralStatus::Ok || value > 255)
          return malformed(lane->offset, "malformed lane index");
        out.push_back(static_cast<uint8_t>(value));
      }
      return Ok{};
    }
    case ImmediateKind::I32:
    case ImmediateKind::I64: {
      const Token& t = peek();
      const bool is32 = info.immediate == ImmediateKind::I32;
      if (t.kind != TokenKind::Number) return unexpected();
      uint64_t bits = 0;
      switch (parse_int(t.text, is32 ? 32 : 64, bits)) {
        case LiteralStatus::Ok: break;
        case LiteralStatus::Range: return malformed(t.offset, "constant out of range");
        case LiteralStatus::Syntax: return malformed(t.offset, "unknown operator");
      }
      next();
      if (is32)
        write_s32(out, static_cast<int32_t>(static_cast<uint32_t>(bits)));
      else
        write_s64(out, static_cast<int64_t>(bits));
      return Ok{};
    }
    case ImmediateKind::F32:
    case ImmediateKind::F64: {
      const Token& t = peek();
      if (t.kind != TokenKind::Number && t.kind != TokenKind::Keyword) return unexpected();
      const bool is32 = info.immediate == ImmediateKind::F32;
      uint64_t bits = 0;
      uint32_t bits32 = 0;
      LiteralStatus st = is32 ? parse_f32(t.text, bits32) : parse_f64(t.text, bits);
      if (st == LiteralStatus::Range) return malformed(t.offset, "constant out of range");
      if (st == LiteralStatus::Syntax) {
        bool numeric = t.kind == TokenKind::Number ||
                       ((t.text.starts_with("nan") || t.text.starts_with("inf")) &&
                        t.text != "nan:canonical" && t.text != "nan:arithmetic");
        return malformed(t.offset, numeric ? "unknown operator" : "unexpected token");
      }
      next();
      if (is32)
        write_fixed(out, bits32, 4);
      else
        write_fixed(out, bits, 8);
      return Ok{};
    }
    case ImmediateKind::V128:
      return parse_v128_const(out);
    case ImmediateKind::HeapType: {
      if (at_keyword("func")) {
        out.push_back(static_cast<uint8_t>(ValType::FuncRef));
      } else if (at_keyword("extern")) {
        out.push_back(static_cast<uint8_t>(ValType::ExternRef));
      } else {
        return unexpected();
      }
      next();
      return Ok{};
    }
    case ImmediateKind::Data:
      module_.needs_data_count = true;
      return parse_index_into(Space::Data, out);
    case ImmediateKind::Elem:
      return parse_index_into(Space::Elem, out);
    case ImmediateKind::MemoryInit:
      module_.needs_data_count = true;
      return parse_segment_use(Space::Data, Space::Memory, out);
    case ImmediateKind::TableInit:
      return parse_segment_use(Space::Elem, Space::Table, out);
    case ImmediateKind::MemoryCopy:
      return parse_copy_operands(Space::Memory, out);
    case ImmediateKind::TableCopy:
      return parse_copy_operands(Space::Table, out);
  }
  (void)folded;
  return unexpected();
}

/// A required index into `space`, by number or `$name`, written as a u32.
Status WatParser::parse_index_into(Space space, Bytes& out) {
  KILN_ASSIGN(uint32_t index, parse_index(space));
  write_u32(out, index);
  return Ok{};
}

/// `memory.init` / `table.init`: an optional target index (memory or table, default 0)
/// before the segment index; encoded segment first.
Status WatParser::parse_segment_use(Space segment_space, Space target_space, Bytes& out) {
  uint32_t target = 0;
  if (at_index() && (peek(1).kind == TokenKind::Number || peek(1).kind == TokenKind::Id)) {
    KILN_ASSIGN(target, parse_index(target_space));
  }
  KILN_ASSIGN(uint32_t segment, parse_index(segment_space));
  write_u32(out, segment);
  write_u32(out, target);
  return Ok{};
}

/// `memory.copy` / `table.copy`: both indices or neither (both default to 0).
Status WatParser::parse_copy_operands(Space space, Bytes& out) {
  uint32_t destination = 0;
  uint32_t source = 0;
  if (at_index()) {
    KILN_ASSIGN(destination, parse_index(space));
    KILN_ASSIGN(source, parse_index(space));
  }
  write_u32(out, destination);
  write_u32(out, source);
  return Ok{};
}

/// `v128.const shape lane*` with exactly the shape's number of lanes.
Status WatParser::parse_v128_const(Bytes& out) {
  struct Shape {
    std::string_view name;
    unsigned lanes;
    unsigned bits;
    bool is_float;
  };
  static constexpr Shape kShapes[] = {{"i8x16", 16, 8, false}, {"i16x8", 8, 16, false},
                                      {"i32x4", 4, 32, false}, {"i64x2", 2, 64, false},
                                      {"f32x4", 4, 32, true},  {"f64x2", 2, 64, true}};
  const Shape* shape = nullptr;
  for (const Shape& s : kShapes)
    if (at_keyword(s.name)) shape = &s;
  if (!shape) return unexpected();
  next();
  std::vector<const Token*> lanes;
  while (peek().kind == TokenKind::Number ||
         (shape->is_float && peek().kind == TokenKind::Keyword &&
          (peek().text.starts_with("inf") || peek().text.starts_with("nan")))) {
    lanes.push_back(&next());
  }
  if (lanes.size() != shape->lanes) return error_here("wrong number of lane literals");
  for (const Token* lane : lanes) {
    uint64_t bits = 0;
    LiteralStatus st;
    if (shape->is_float && shape->bits == 32) {
      uint32_t b32 = 0;
      st = parse_f32(lane->text, b32);
      bits = b32;
    } else if (shape->is_float) {
      st = parse_f64(lane->text, bits);
    } else {
      st = parse_int(lane->text, shape->bits, bits);
    }
    if (st == LiteralStatus::Range) return malformed(lane->offset, "constant out of range");
    if (st == LiteralStatus::Syntax) return malformed(lane->offset, "unknown operator");
    write_fixed(out, bits, shape->bits / 8);
  }
  return Ok{};
}

}  // namespace kiln::text
