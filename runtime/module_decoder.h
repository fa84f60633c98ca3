// ModuleDecoder: the state of one decode_module call, shared by decoder.cpp (sections,
// types, imports, exports, code) and segment_decoder.cpp (elem/data segments and constant
// expressions). Internal to the decoder; include decoder.h instead.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "runtime/binary_reader.h"
#include "runtime/function_validator.h"
#include "runtime/module.h"
#include "runtime/result.h"

namespace kiln {

class ModuleDecoder {
 public:
  explicit ModuleDecoder(std::span<const uint8_t> bytes) : bytes_(bytes) {
    context_.types = &module_.types;
  }
  Result<std::shared_ptr<const Module>> decode();

 private:
  bool section(uint8_t id, BinaryReader& r);
  bool custom_section(BinaryReader& r);
  bool type_section(BinaryReader& r);
  bool import_section(BinaryReader& r);
  bool function_section(BinaryReader& r);
  bool table_section(BinaryReader& r);
  bool memory_section(BinaryReader& r);
  bool global_section(BinaryReader& r);
  bool export_section(BinaryReader& r);
  bool start_section(BinaryReader& r);
  bool elem_section(BinaryReader& r);
  bool data_count_section(BinaryReader& r);
  bool code_section(BinaryReader& r);
  bool data_section(BinaryReader& r);

  bool read_val_type(BinaryReader& r, ValType& out);
  bool read_ref_type(BinaryReader& r, ValType& out);
  bool read_limits(BinaryReader& r, Limits& out);
  bool read_table_type(BinaryReader& r, TableType& out);
  bool read_memory_type(BinaryReader& r, MemoryType& out);
  bool read_global_type(BinaryReader& r, GlobalType& out);
  bool add_memory(BinaryReader& r, size_t at);
  std::string_view body_end_message(size_t body_end) const;

  /// A constant expression of type `expected` (spec 3.3.10); global.get may name only the
  /// first `visible_globals` globals.
  bool read_const_expr(BinaryReader& r, ValType expected, uint32_t visible_globals,
                       ConstExpr& out);
  bool read_elem_segment(BinaryReader& r, ElemSegment& out);
  bool read_data_segment(BinaryReader& r, DataSegment& out);

  std::span<const uint8_t> bytes_;
  Module module_;
  ValidationContext context_;
  std::optional<Error> deferred_;  ///< first function-body validation error
  size_t section_end_ = 0;          ///< declared end of the section being read
  std::optional<size_t> inconsistent_code_;  ///< code count != function count, at offset
  bool data_count_needed_ = false;  ///< memory.init/data.drop seen, no data count section
  bool seen_code_ = false;
  bool seen_data_ = false;
};

}  // namespace kiln
