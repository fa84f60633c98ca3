// Module fields of the text format (spec 6.6): the two passes over a module's fields, the
// inline import/export and table/memory segment abbreviations, elem and data segments, and
// the wat_to_binary entry point.
#include "runtime/text/wat_parser.h"

#include <string>

#include "runtime/binary_reader.h"  // is_valid_utf8, shared with the decoder
#include "runtime/text/wat.h"

namespace kiln::text {
namespace {

const char* space_name(Space space) {
  switch (space) {
    case Space::Func: return "func";
    case Space::Table: return "table";
    case Space::Memory: return "memory";
    case Space::Global: return "global";
    case Space::Type: return "type";
    case Space::Elem: return "elem";
    case Space::Data: return "data";
  }
  return "?";
}

constexpr const char* kDefinitionNames[4] = {"function", "table", "memory", "global"};

std::optional<Space> space_of_keyword(std::string_view kw) {
  if (kw == "func") return Space::Func;
  if (kw == "table") return Space::Table;
  if (kw == "memory") return Space::Memory;
  if (kw == "global") return Space::Global;
  return std::nullopt;
}

ExternKind extern_kind(Space space) {
  switch (space) {
    case Space::Table: return ExternKind::Table;
    case Space::Memory: return ExternKind::Memory;
    case Space::Global: return ExternKind::Global;
    default: return ExternKind::Func;
  }
}

Bytes i32_const_zero_expr() { return {0x41, 0x00, 0x0b}; }

}  // namespace

Error WatParser::unexpected() const {
  const Token& t = peek();
  if (t.kind == TokenKind::Reserved) return malformed(t.offset, "unknown operator " + std::string(t.text));
  if (t.kind == TokenKind::Eof) return malformed(t.offset, "unexpected end of input");
  return malformed(t.offset, "unexpected token");
}

Status WatParser::expect(TokenKind kind) {
  if (peek().kind != kind) return unexpected();
  next();
  return Ok{};
}

Status WatParser::expect_keyword(std::string_view kw) {
  if (!at_keyword(kw)) return unexpected();
  next();
  return Ok{};
}

Status WatParser::skip_form() {
  KILN_TRY(expect(TokenKind::LParen));
  KILN_TRY(close_form());
  return Ok{};
}

const Token* WatParser::optional_id() {
  if (peek().kind != TokenKind::Id) return nullptr;
  return &next();
}

Status WatParser::bind(Space space, const Token* id, uint32_t index) {
  if (!id) return Ok{};
  auto [it, inserted] = names_[static_cast<size_t>(space)].emplace(id->text, index);
  if (!inserted) return malformed(id->offset, std::string("duplicate ") + space_name(space));
  return Ok{};
}

Result<TextModule> WatParser::parse() {
  // `(module $id? field*)` or a bare sequence of fields.
  if (peek().kind == TokenKind::LParen && at_keyword("module", 1)) {
    next();
    next();
    if (const Token* id = optional_id()) module_.module_name = std::string(id->text.substr(1));
    fields_begin_ = pos_;
    // Find the module's closing parenthesis.
    size_t depth = 1;
    size_t i = pos_;
    for (; i < tokens_.size() && depth > 0; ++i) {
      if (tokens_[i].kind == TokenKind::LParen) ++depth;
      if (tokens_[i].kind == TokenKind::RParen) --depth;
      if (tokens_[i].kind == TokenKind::Eof) break;
    }
    if (depth != 0) return malformed(source_.size(), "unexpected end of input");
    fields_end_ = i - 1;
    if (tokens_[i].kind != TokenKind::Eof) return malformed(tokens_[i].offset, "unexpected token");
  } else {
    fields_begin_ = pos_;
    fields_end_ = tokens_.size() - 1;
  }
  // A syntax error found by the first pass is reported after the second pass has parsed
  // the fields before it, so that the earliest error in the text wins.
  Status scanned = scan_fields();
  size_t scan_end = scanned.ok() ? fields_end_ : pos_;
  pos_ = fields_begin_;
  while (pos_ < scan_end && pos_ < fields_end_) {
    size_t field_start = pos_;
    Status parsed = parse_field();
    if (!parsed.ok()) {
      if (!scanned.ok() && field_start >= scan_end) break;
      return std::move(parsed).error();
    }
  }
  if (!scanned.ok()) return std::move(scanned).error();
  for (const auto& [id, index] : names_[static_cast<size_t>(Space::Func)]) {
    module_.func_names.emplace(index, std::string(id.substr(1)));
  }
  return std::move(module_);
}

// ---- Pass 1: names, explicit types, import order -------------------------------------

Status WatParser::scan_fields() {
  pos_ = fields_begin_;
  while (pos_ < fields_end_) KILN_TRY(scan_field());
  explicit_types_ = module_.types.size();
  return Ok{};
}

Status WatParser::scan_field() {
  if (peek().kind != TokenKind::LParen || peek(1).kind != TokenKind::Keyword) {
    if (peek().kind == TokenKind::LParen) next();
    return unexpected();
  }
  size_t start = pos_;
  std::string_view kw = peek(1).text;
  auto check_import_order = [&]() -> Status {
    for (size_t k = 0; k < 4; ++k)
      if (defined_[k])
        return malformed(tokens_[start].offset, std::string("import after ") + kDefinitionNames[k]);
    return Ok{};
  };
  if (kw == "type") {
    next();
    next();
    const Token* id = optional_id();
    KILN_TRY(bind(Space::Type, id, counts_[static_cast<size_t>(Space::Type)]++));
    KILN_TRY(expect(TokenKind::LParen));
    KILN_TRY(expect_keyword("func"));
    KILN_ASSIGN(FuncType type, parse_func_type_body(nullptr));
    KILN_TRY(expect(TokenKind::RParen));
    KILN_TRY(expect(TokenKind::RParen));
    module_.types.push_back(std::move(type));
    return Ok{};
  }
  if (kw == "import") {
    next();
    next();
    for (int i = 0; i < 2; ++i)
      if (peek().kind == TokenKind::String) next();
    if (peek().kind == TokenKind::LParen && peek(1).kind == TokenKind::Keyword) {
      if (auto space = space_of_keyword(peek(1).text)) {
        KILN_TRY(check_import_order());
        next();
        next();
        KILN_TRY(bind(*space, optional_id(), counts_[static_cast<size_t>(*space)]++));
      }
    }
    pos_ = start;
    return skip_form();
  }
  if (auto space = space_of_keyword(kw)) {
    next();
    next();
    const Token* id = optional_id();
    while (at_form("export")) KILN_TRY(skip_form());
    if (at_form("import")) {
      KILN_TRY(check_import_order());
    } else {
      defined_[static_cast<size_t>(*space)] = true;
      if (*space == Space::Table) {
        if (peek_val_type()) next();
        if (at_form("elem")) ++counts_[static_cast<size_t>(Space::Elem)];
      } else if (*space == Space::Memory && at_form("data")) {
        ++counts_[static_cast<size_t>(Space::Data)];
      }
    }
    KILN_TRY(bind(*space, id, counts_[static_cast<size_t>(*space)]++));
    pos_ = start;
    return skip_form();
  }
  if (kw == "elem" || kw == "data") {
    next();
    next();
    Space space = kw == "elem" ? Space::Elem : Space::Data;
    KILN_TRY(bind(space, optional_id(), counts_[static_cast<size_t>(space)]++));
    pos_ = start;
    return skip_form();
  }
  if (kw == "export" || kw == "start") return skip_form();
  next();
  return unexpected();
}

// ---- Pass 2: fields -------------------------------------------------------------------

Status WatParser::parse_field() {
  std::string_view kw = peek(1).text;
  if (kw == "type") return skip_form();
  if (kw == "import") return parse_import_field();
  if (kw == "func") return parse_func();
  if (kw == "table") return parse_table();
  if (kw == "memory") return parse_memory();
  if (kw == "global") return parse_global();
  if (kw == "export") return parse_export_field();
  if (kw == "start") return parse_start();
  if (kw == "elem") return parse_elem();
  if (kw == "data") return parse_data();
  return unexpected();
}

Result<std::string> WatParser::parse_string_bytes() {
  if (peek().kind != TokenKind::String) return unexpected();
  const Token& t = next();
  std::string bytes;
  if (!decode_string(t.text, bytes)) return malformed(t.offset, "malformed string escape");
  return bytes;
}

Result<std::string> WatParser::parse_name() {
  size_t offset = peek().offset;
  KILN_ASSIGN(std::string name, parse_string_bytes());
  if (!is_valid_utf8(name)) return malformed(offset, "malformed UTF-8 encoding");
  return name;
}

Status WatParser::parse_inline_exports(ExternKind kind, uint32_t index) {
  while (at_form("export")) {
    next();
    next();
    KILN_ASSIGN(std::string name, parse_name());
    KILN_TRY(expect(TokenKind::RParen));
    module_.exports.push_back({std::move(name), kind, index});
  }
  return Ok{};
}

Result<bool> WatParser::parse_inline_import(TextImport& import) {
  if (!at_form("import")) return false;
  next();
  next();
  KILN_ASSIGN(import.module, parse_name());
  KILN_ASSIGN(import.field, parse_name());
  KILN_TRY(expect(TokenKind::RParen));
  return true;
}

Result<Limits> WatParser::parse_limits(bool memory) {
  const char* range = memory ? "i32 constant out of range" : "i32 constant out of range";
  Limits limits;
  KILN_ASSIGN(limits.min, parse_u32_token(range));
  if (peek().kind == TokenKind::Number) {
    KILN_ASSIGN(uint32_t max, parse_u32_token(range));
    limits.max = max;
  }
  return limits;
}

Result<GlobalType> WatParser::parse_global_type() {
  GlobalType type;
  if (at_form("mut")) {
    next();
    next();
    KILN_ASSIGN(type.type, parse_val_type());
    type.mutable_ = true;
    KILN_TRY(expect(TokenKind::RParen));
  } else {
    KILN_ASSIGN(type.type, parse_val_type());
  }
  return type;
}

/// The part of an import description after `(kind $id?`: a type use, table type,
/// limits or global type.
Status WatParser::parse_import_desc(TextImport& import, Space space) {
  import.kind = extern_kind(space);
  switch (space) {
    case Space::Func: {
      KILN_ASSIGN(TypeUse use, parse_type_use(true));
      import.type_index = use.index;
      break;
    }
    case Space::Table: {
      KILN_ASSIGN(import.table.limits, parse_limits(false));
      KILN_ASSIGN(import.table.element, parse_ref_type());
      break;
    }
    case Space::Memory: {
      KILN_ASSIGN(import.memory.limits, parse_limits(true));
      break;
    }
    case Space::Global: {
      KILN_ASSIGN(import.global, parse_global_type());
      break;
    }
    default: break;
  }
  module_.imports.push_back(std::move(import));
  ++next_[static_cast<size_t>(space)];
  return expect(TokenKind::RParen);
}

Status WatParser::parse_import_field() {
  next();
  next();
  TextImport import;
  KILN_ASSIGN(import.module, parse_name());
  KILN_ASSIGN(import.field, parse_name());
  KILN_TRY(expect(TokenKind::LParen));
  std::optional<Space> space;
  if (peek().kind == TokenKind::Keyword) space = space_of_keyword(peek().text);
  if (!space) return unexpected();
  next();
  optional_id();
  KILN_TRY(parse_import_desc(import, *space));
  return expect(TokenKind::RParen);
}

Status WatParser::parse_func() {
  next();
  next();
  optional_id();
  uint32_t index = next_[static_cast<size_t>(Space::Func)];
  KILN_TRY(parse_inline_exports(ExternKind::Func, index));
  TextImport import;
  KILN_ASSIGN(bool imported, parse_inline_import(import));
  if (imported) return parse_import_desc(import, Space::Func);

  KILN_ASSIGN(TypeUse use, parse_type_use(true));
  FuncContext ctx;
  for (const auto& name : use.param_names) {
    uint32_t local = ctx.local_count++;
    if (name && !ctx.locals.emplace(*name, local).second) return error_here("duplicate local");
  }
  TextFunc func;
  func.type_index = use.index;
  while (at_form("local")) {
    next();
    next();
    if (peek().kind == TokenKind::Id) {
      const Token& id = next();
      KILN_ASSIGN(ValType type, parse_val_type());
      if (!ctx.locals.emplace(id.text, ctx.local_count).second)
        return malformed(id.offset, "duplicate local");
      ++ctx.local_count;
      func.locals.push_back(type);
    } else {
      while (peek().kind != TokenKind::RParen) {
        KILN_ASSIGN(ValType type, parse_val_type());
        func.locals.push_back(type);
        ++ctx.local_count;
      }
    }
    KILN_TRY(expect(TokenKind::RParen));
  }
  KILN_TRY(parse_instrs(func.body, ctx));
  KILN_TRY(expect(TokenKind::RParen));
  func.body.push_back(0x0b);
  module_.funcs.push_back(std::move(func));
  ++next_[static_cast<size_t>(Space::Func)];
  return Ok{};
}

Status WatParser::parse_table() {
  next();
  next();
  optional_id();
  uint32_t index = next_[static_cast<size_t>(Space::Table)];
  KILN_TRY(parse_inline_exports(ExternKind::Table, index));
  TextImport import;
  KILN_ASSIGN(bool imported, parse_inline_import(import));
  if (imported) return parse_import_desc(import, Space::Table);
  TableType table;
  if (peek_val_type()) {
    // `reftype (elem ...)`: a table sized to its inline segment.
    KILN_ASSIGN(table.element, parse_ref_type());
    if (!at_form("elem")) return unexpected();
    next();
    next();
    TextElem elem;
    elem.mode = TextElem::Mode::Active;
    elem.table = index;
    elem.offset = i32_const_zero_expr();
    elem.type = table.element;
    KILN_TRY(parse_elem_list(elem, true));
    KILN_TRY(expect(TokenKind::RParen));
    uint32_t size = static_cast<uint32_t>(elem.funcs.size() + elem.exprs.size());
    table.limits.min = size;
    table.limits.max = size;
    module_.elems.push_back(std::move(elem));
    ++next_[static_cast<size_t>(Space::Elem)];
  } else {
    KILN_ASSIGN(table.limits, parse_limits(false));
    KILN_ASSIGN(table.element, parse_ref_type());
  }
  module_.tables.push_back(table);
  ++next_[static_cast<size_t>(Space::Table)];
  return expect(TokenKind::RParen);
}

Status WatParser::parse_memory() {
  next();
  next();
  optional_id();
  uint32_t index = next_[static_cast<size_t>(Space::Memory)];
  KILN_TRY(parse_inline_exports(ExternKind::Memory, index));
  TextImport import;
  KILN_ASSIGN(bool imported, parse_inline_import(import));
  if (imported) return parse_import_desc(import, Space::Memory);
  MemoryType memory;
  if (at_form("data")) {
    next();
    next();
    TextData data;
    data.active = true;
    data.memory = index;
    data.offset = i32_const_zero_expr();
    while (peek().kind == TokenKind::String) {
      KILN_ASSIGN(std::string bytes, parse_string_bytes());
      data.bytes += bytes;
    }
    KILN_TRY(expect(TokenKind::RParen));
    uint64_t pages = (data.bytes.size() + 65535) / 65536;
    memory.limits.min = pages;
    memory.limits.max = pages;
    module_.datas.push_back(std::move(data));
    ++next_[static_cast<size_t>(Space::Data)];
  } else {
    KILN_ASSIGN(memory.limits, parse_limits(true));
  }
  module_.memories.push_back(memory);
  ++next_[static_cast<size_t>(Space::Memory)];
  return expect(TokenKind::RParen);
}

Status WatParser::parse_global() {
  next();
  next();
  optional_id();
  uint32_t index = next_[static_cast<size_t>(Space::Global)];
  KILN_TRY(parse_inline_exports(ExternKind::Global, index));
  TextImport import;
  KILN_ASSIGN(bool imported, parse_inline_import(import));
  if (imported) return parse_import_desc(import, Space::Global);
  TextGlobal global;
  KILN_ASSIGN(global.type, parse_global_type());
  KILN_TRY(parse_const_expr(global.init));
  module_.globals.push_back(std::move(global));
  ++next_[static_cast<size_t>(Space::Global)];
  return expect(TokenKind::RParen);
}

Status WatParser::parse_export_field() {
  next();
  next();
  TextExport exp;
  KILN_ASSIGN(exp.name, parse_name());
  KILN_TRY(expect(TokenKind::LParen));
  std::optional<Space> space;
  if (peek().kind == TokenKind::Keyword) space = space_of_keyword(peek().text);
  if (!space) return unexpected();
  next();
  exp.kind = extern_kind(*space);
  KILN_ASSIGN(exp.index, parse_index(*space));
  KILN_TRY(expect(TokenKind::RParen));
  module_.exports.push_back(std::move(exp));
  return expect(TokenKind::RParen);
}

Status WatParser::parse_start() {
  size_t offset = peek().offset;
  next();
  next();
  if (module_.start) return malformed(offset, "multiple start sections");
  KILN_ASSIGN(uint32_t index, parse_index(Space::Func));
  module_.start = index;
  return expect(TokenKind::RParen);
}

/// `(offset instr*)` or a single folded instruction.
Result<Bytes> WatParser::parse_offset() {
  Bytes out;
  if (at_form("offset")) {
    next();
    next();
    KILN_TRY(parse_const_expr(out));
    KILN_TRY(expect(TokenKind::RParen));
    return out;
  }
  if (peek().kind != TokenKind::LParen) return unexpected();
  FuncContext ctx;
  KILN_TRY(parse_folded(out, ctx));
  out.push_back(0x0b);
  return out;
}

/// Items of an elem segment: `func x*`, `reftype elemexpr*`, or (abbreviation) `x*`.
Status WatParser::parse_elem_list(TextElem& elem, bool allow_bare_indices) {
  if (at_keyword("func")) {
    next();
    elem.type = ValType::FuncRef;
  } else if (peek_val_type()) {
    KILN_ASSIGN(elem.type, parse_ref_type());
    elem.uses_exprs = true;
  } else if (!allow_bare_indices && at_index()) {
    return unexpected();
  } else if (!at_index() && peek().kind != TokenKind::RParen &&
             peek().kind != TokenKind::LParen) {
    return unexpected();
  }
  if (!elem.uses_exprs && peek().kind == TokenKind::LParen) elem.uses_exprs = true;
  if (!elem.uses_exprs) {
    while (at_index()) {
      KILN_ASSIGN(uint32_t f, parse_index(Space::Func));
      elem.funcs.push_back(f);
    }
    return Ok{};
  }
  while (peek().kind == TokenKind::LParen) KILN_TRY(finish_elem_item(elem));
  return Ok{};
}

/// One element expression: `(item instr*)` or a single folded instruction.
Status WatParser::finish_elem_item(TextElem& elem) {
  Bytes expr;
  if (at_form("item")) {
    next();
    next();
    KILN_TRY(parse_const_expr(expr));
    KILN_TRY(expect(TokenKind::RParen));
  } else {
    FuncContext ctx;
    KILN_TRY(parse_folded(expr, ctx));
    expr.push_back(0x0b);
  }
  elem.exprs.push_back(std::move(expr));
  return Ok{};
}

Status WatParser::parse_elem() {
  next();
  next();
  optional_id();
  TextElem elem;
  if (at_keyword("declare")) {
    next();
    elem.mode = TextElem::Mode::Declarative;
    KILN_TRY(parse_elem_list(elem, false));
  } else if (at_form("table") || peek().kind == TokenKind::LParen || at_index()) {
    elem.mode = TextElem::Mode::Active;
    if (at_form("table")) {
      next();
      next();
      KILN_ASSIGN(elem.table, parse_index(Space::Table));
      KILN_TRY(expect(TokenKind::RParen));
      elem.explicit_table = true;
    } else if (at_index() && peek(1).kind == TokenKind::LParen) {
      KILN_ASSIGN(elem.table, parse_index(Space::Table));  // legacy `(elem 0 (offset) ...)`
      elem.explicit_table = true;
    }
    if (elem.mode == TextElem::Mode::Active && peek().kind == TokenKind::LParen) {
      KILN_ASSIGN(elem.offset, parse_offset());
      KILN_TRY(parse_elem_list(elem, true));
    } else {
      return unexpected();
    }
  } else {
    elem.mode = TextElem::Mode::Passive;
    KILN_TRY(parse_elem_list(elem, false));
  }
  module_.elems.push_back(std::move(elem));
  ++next_[static_cast<size_t>(Space::Elem)];
  return expect(TokenKind::RParen);
}

Status WatParser::parse_data() {
  next();
  next();
  optional_id();
  TextData data;
  if (peek().kind != TokenKind::String && peek().kind != TokenKind::RParen) {
    data.active = true;
    if (at_form("memory")) {
      next();
      next();
      KILN_ASSIGN(data.memory, parse_index(Space::Memory));
      KILN_TRY(expect(TokenKind::RParen));
    } else if (at_index()) {
      KILN_ASSIGN(data.memory, parse_index(Space::Memory));  // legacy `(data 0 (offset) ...)`
    }
    KILN_ASSIGN(data.offset, parse_offset());
  }
  while (peek().kind == TokenKind::String) {
    KILN_ASSIGN(std::string bytes, parse_string_bytes());
    data.bytes += bytes;
  }
  module_.datas.push_back(std::move(data));
  ++next_[static_cast<size_t>(Space::Data)];
  return expect(TokenKind::RParen);
}

}  // namespace kiln::text

namespace kiln {

Result<std::vector<uint8_t>> wat_to_binary(std::string_view source) {
  auto tokens = text::tokenize(source);
  if (!tokens.ok()) return std::move(tokens).error();
  for (const text::Token& t : *tokens)
    if (t.kind == text::TokenKind::Reserved) return malformed(t.offset, std::string("unknown operator ") + std::string(t.text));
  text::WatParser parser(source, std::move(tokens).value());
  auto module = parser.parse();
  if (!module.ok()) return std::move(module).error();
  return text::encode_module(*module);
}

std::string line_column(std::string_view source, size_t offset) {
  if (offset > source.size()) offset = source.size();
  size_t line = 1;
  size_t column = 1;
  for (size_t i = 0; i < offset; ++i) {
    if (source[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace kiln
