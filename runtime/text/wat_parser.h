// The WAT parser: module fields and instructions (spec 6.4-6.6) into a TextModule. Two
// passes over the token list: the first binds every `$name` of the module-level index
// spaces and collects the explicit types; the second parses each field with names resolved.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/opcodes.h"
#include "runtime/result.h"
#include "runtime/text/lexer.h"
#include "runtime/text/text_module.h"

// Early return of a failed Result/Status from a function returning Result or Status.
#define KILN_TRY(expr)                                  \
  do {                                                  \
    auto kiln_try_result_ = (expr);                     \
    if (!kiln_try_result_.ok()) return std::move(kiln_try_result_).error(); \
  } while (0)
#define KILN_TRY_CONCAT2(a, b) a##b
#define KILN_TRY_CONCAT(a, b) KILN_TRY_CONCAT2(a, b)
#define KILN_ASSIGN(var, expr)                                                   \
  auto KILN_TRY_CONCAT(kiln_assign_, __LINE__) = (expr);                          \
  if (!KILN_TRY_CONCAT(kiln_assign_, __LINE__).ok())                              \
    return std::move(KILN_TRY_CONCAT(kiln_assign_, __LINE__)).error();            \
  var = std::move(KILN_TRY_CONCAT(kiln_assign_, __LINE__)).value()

namespace kiln::text {

enum class Space : uint8_t { Func, Table, Memory, Global, Type, Elem, Data };
inline constexpr size_t kSpaceCount = 7;

/// Per-function state of the instruction parser: local names and the label stack.
struct FuncContext {
  std::unordered_map<std::string_view, uint32_t> locals;
  uint32_t local_count = 0;
  std::vector<std::optional<std::string_view>> labels;
};

/// A parsed type use: the resolved type index, its signature and the parameter names.
struct TypeUse {
  uint32_t index = 0;
  FuncType type;
  std::vector<std::optional<std::string_view>> param_names;
};

class WatParser : public TokenCursor {
 public:
  WatParser(std::string_view source, std::vector<Token> tokens)
      : TokenCursor(std::move(tokens)), source_(source) {}

  /// Parses the whole source (one `(module ...)` or a sequence of fields).
  Result<TextModule> parse();

  // Error helpers (also used by the instruction parser).
  Error unexpected() const;  ///< "unexpected token" (or "unknown operator" at a reserved one)
  Error error_here(std::string message) const { return malformed(peek().offset, std::move(message)); }
  Status expect(TokenKind kind);
  Status expect_keyword(std::string_view kw);

 private:
  // Module fields (wat_parser.cpp).
  Status scan_fields();
  Status scan_field();
  Status parse_field();
  Status skip_form();
  Status bind(Space space, const Token* id, uint32_t index);
  const Token* optional_id();
  Status parse_import_field();
  Status parse_func();
  Status parse_table();
  Status parse_memory();
  Status parse_global();
  Status parse_export_field();
  Status parse_start();
  Status parse_elem();
  Status parse_data();
  Status parse_inline_exports(ExternKind kind, uint32_t index);
  Result<bool> parse_inline_import(TextImport& import);
  Result<std::string> parse_name();
  Result<std::string> parse_string_bytes();
  Result<Limits> parse_limits(bool memory);
  Result<GlobalType> parse_global_type();
  Status parse_import_desc(TextImport& import, Space space);
  Result<Bytes> parse_offset();
  Status parse_elem_list(TextElem& elem, bool allow_bare_indices);
  Status finish_elem_item(TextElem& elem);

 public:
  // Types, indices and instructions (wat_types.cpp, wat_instructions.cpp).
  Result<ValType> parse_val_type();
  Result<ValType> parse_ref_type();
  std::optional<ValType> peek_val_type() const;
  Result<FuncType> parse_func_type_body(std::vector<std::optional<std::string_view>>* names,
                                        bool allow_ids = true);
  Result<TypeUse> parse_type_use(bool allow_names);
  uint32_t intern_type(const FuncType& type);
  Result<uint32_t> parse_index(Space space);
  bool at_index() const {
    return peek().kind == TokenKind::Number || peek().kind == TokenKind::Id;
  }
  Result<uint32_t> parse_u32_token(const char* range_message);

  Status parse_instrs(Bytes& out, FuncContext& ctx);
  Status parse_folded(Bytes& out, FuncContext& ctx);
  Status parse_plain(Bytes& out, FuncContext& ctx, bool folded);
  Status parse_block_type(Bytes& out);
  Status parse_immediates(Opcode op, Bytes& out, FuncContext& ctx, bool folded);
  Result<uint32_t> parse_label(FuncContext& ctx);
  Result<uint32_t> parse_local(FuncContext& ctx);
  Status parse_memarg(const OpcodeInfo& info, Bytes& out);
  Status parse_v128_const(Bytes& out);
  Status parse_index_into(Space space, Bytes& out);
  Status parse_segment_use(Space segment_space, Space target_space, Bytes& out);
  Status parse_copy_operands(Space space, Bytes& out);
  Status parse_const_expr(Bytes& out);  ///< instructions up to `)` plus `end`
  Status check_label_match(const std::optional<std::string_view>& label);

 private:
  std::string_view source_;
  size_t fields_begin_ = 0;
  size_t fields_end_ = 0;
  int depth_ = 0;
  TextModule module_;
  std::array<std::unordered_map<std::string_view, uint32_t>, kSpaceCount> names_;
  std::array<uint32_t, kSpaceCount> counts_{};  ///< pass 1: bound so far
  std::array<uint32_t, kSpaceCount> next_{};    ///< pass 2: defined so far
  std::array<bool, 4> defined_{};               ///< pass 1: func/table/memory/global defined
  size_t explicit_types_ = 0;

  friend class InstrParser;
};

}  // namespace kiln::text
