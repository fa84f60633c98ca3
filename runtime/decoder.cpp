// decode_module: the module-level binary decoder (spec 5.5) with the module validation
// rules of spec 3.4 checked as each section is read. Function bodies go through
// FunctionValidator; elem/data segments and constant expressions are in segment_decoder.cpp.
#include "runtime/decoder.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "runtime/function_validator.h"
#include "runtime/module_decoder.h"
#include "runtime/name_section.h"

namespace kiln {
namespace {

// Section ids in the order they must appear (spec 5.5.2); the data count section (12)
// sits between elem (9) and code (10).
int section_rank(uint8_t id) {
  switch (id) {
    case 12: return 10;
    case 10: return 11;
    case 11: return 12;
    default: return id;
  }
}

constexpr uint64_t kMaxMemoryPages = 65536;

}  // namespace

// A body that runs out before its final `end`: the reference decoder would read on into
// the next bytes, so say what it would find there.
std::string_view ModuleDecoder::body_end_message(size_t body_end) const {
  if (body_end < section_end_) return "END opcode expected";
  if (body_end < bytes_.size()) return "section size mismatch";
  return "unexpected end of section or function";
}

bool ModuleDecoder::read_val_type(BinaryReader& r, ValType& out) {
  size_t at = r.pos();
  uint8_t byte;
  if (!r.read_s7_byte(byte)) return false;
  auto type = val_type_from_byte(byte);
  if (!type) return r.malformed_at(at, "malformed value type");
  out = *type;
  return true;
}

bool ModuleDecoder::read_ref_type(BinaryReader& r, ValType& out) {
  size_t at = r.pos();
  uint8_t byte;
  if (!r.read_u8(byte)) return false;
  if (byte != 0x70 && byte != 0x6f) return r.malformed_at(at, "malformed reference type");
  out = static_cast<ValType>(byte);
  return true;
}

bool ModuleDecoder::read_limits(BinaryReader& r, Limits& out) {
  uint8_t flags;
  if (!r.read_u1(flags)) return false;
  uint32_t min;
  if (!r.read_u32(min)) return false;
  out.min = min;
  out.max.reset();
  if (flags == 1) {
    uint32_t max;
    if (!r.read_u32(max)) return false;
    out.max = max;
  }
  return true;
}

bool ModuleDecoder::read_table_type(BinaryReader& r, TableType& out) {
  size_t at = r.pos();
  if (!read_ref_type(r, out.element) || !read_limits(r, out.limits)) return false;
  if (out.limits.max && out.limits.min > *out.limits.max) {
    return r.invalid_at(at, "size minimum must not be greater than maximum");
  }
  return true;
}

bool ModuleDecoder::read_memory_type(BinaryReader& r, MemoryType& out) {
  size_t at = r.pos();
  if (!read_limits(r, out.limits)) return false;
  const Limits& l = out.limits;
  if (l.min > kMaxMemoryPages || (l.max && *l.max > kMaxMemoryPages)) {
    return r.invalid_at(at, "memory size must be at most 65536 pages (4GiB)");
  }
  if (l.max && l.min > *l.max) {
    return r.invalid_at(at, "size minimum must not be greater than maximum");
  }
  return true;
}

bool ModuleDecoder::read_global_type(BinaryReader& r, GlobalType& out) {
  if (!read_val_type(r, out.type)) return false;
  size_t at = r.pos();
  uint8_t mut;
  if (!r.read_u8(mut)) return false;
  if (mut > 1) return r.malformed_at(at, "malformed mutability");
  out.mutable_ = mut == 1;
  return true;
}

bool ModuleDecoder::add_memory(BinaryReader& r, size_t at) {
  if (++context_.memory_count > 1) return r.invalid_at(at, "multiple memories");
  return true;
}

// ---- sections ----

bool ModuleDecoder::type_section(BinaryReader& r) {
  uint32_t count;
  if (!r.read_count(count)) return false;
  module_.types.reserve(r.reservable(count));
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = r.pos();
    uint8_t form;
    if (!r.read_s7_byte(form)) return false;
    if (form != 0x60) return r.malformed_at(at, "malformed function type");
    FuncType type;
    for (auto* list : {&type.params, &type.results}) {
      uint32_t n;
      if (!r.read_count(n)) return false;
      for (uint32_t k = 0; k < n; ++k) {
        ValType t;
        if (!read_val_type(r, t)) return false;
        list->push_back(t);
      }
    }
    module_.types.push_back(std::move(type));
  }
  return true;
}

bool ModuleDecoder::import_section(BinaryReader& r) {
  uint32_t count;
  if (!r.read_count(count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    Import imp;
    if (!r.read_name(imp.module) || !r.read_name(imp.name)) return false;
    size_t at = r.pos();
    uint8_t kind;
    if (!r.read_u8(kind)) return false;
    switch (kind) {
      case 0: {
        if (!r.read_u32(imp.func_type)) return false;
        if (imp.func_type >= module_.types.size()) {
          return r.invalid_at(at, "unknown type " + std::to_string(imp.func_type));
        }
        context_.func_types.push_back(imp.func_type);
        ++module_.imported_funcs;
        break;
      }
      case 1:
        if (!read_table_type(r, imp.table)) return false;
        context_.tables.push_back(imp.table.element);
        ++module_.imported_tables;
        break;
      case 2:
        if (!read_memory_type(r, imp.memory) || !add_memory(r, at)) return false;
        ++module_.imported_memories;
        break;
      case 3:
        if (!read_global_type(r, imp.global)) return false;
        context_.globals.push_back(imp.global);
        ++module_.imported_globals;
        break;
      default:
        return r.malformed_at(at, "malformed import kind");
    }
    imp.kind = static_cast<ExternKind>(kind);
    module_.imports.push_back(std::move(imp));
  }
  return true;
}

bool ModuleDecoder::function_section(BinaryReader& r) {
  uint32_t count;
  if (!r.read_count(count)) return false;
  module_.functions.reserve(r.reservable(count));
  for (uint32_t i = 0; i < count; ++i) {
    Function& f = module_.functions.emplace_back();
    size_t at = r.pos();
    if (!r.read_u32(f.type_index)) return false;
    if (f.type_index >= module_.types.size()) {
      return r.invalid_at(at, "unknown type " + std::to_string(f.type_index));
    }
    context_.func_types.push_back(f.type_index);
  }
  return true;
}

bool ModuleDecoder::table_section(BinaryReader& r) {
  uint32_t count;
  if (!r.read_count(count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    TableType t;
    if (!read_table_type(r, t)) return false;
    module_.tables.push_back(t);
    context_.tables.push_back(t.element);
  }
  return true;
}

bool ModuleDecoder::memory_section(BinaryReader& r) {
  uint32_t count;
  if (!r.read_count(count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = r.pos();
    MemoryType m;
    if (!read_memory_type(r, m) || !add_memory(r, at)) return false;
    module_.memories.push_back(m);
  }
  return true;
}

bool ModuleDecoder::global_section(BinaryReader& r) {
  uint32_t count;
  if (!r.read_count(count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    Global g;
    if (!read_global_type(r, g.type)) return false;
    // Spec 3.4.10: a global's initializer sees only the imported globals.
    if (!read_const_expr(r, g.type.type, module_.imported_globals, g.init)) return false;
    context_.globals.push_back(g.type);
    module_.globals.push_back(std::move(g));
  }
  return true;
}

bool ModuleDecoder::export_section(BinaryReader& r) {
  uint32_t count;
  if (!r.read_count(count)) return false;
  std::unordered_set<std::string> names;
  for (uint32_t i = 0; i < count; ++i) {
    Export e;
    size_t name_at = r.pos();
    if (!r.read_name(e.name)) return false;
    size_t at = r.pos();
    uint8_t kind;
    if (!r.read_u8(kind) || !r.read_u32(e.index)) return false;
    uint32_t limit = 0;
    const char* what = "";
    switch (kind) {
      case 0: limit = module_.func_count(); what = "unknown function "; break;
      case 1: limit = static_cast<uint32_t>(context_.tables.size()); what = "unknown table "; break;
      case 2: limit = context_.memory_count; what = "unknown memory "; break;
      case 3: limit = static_cast<uint32_t>(context_.globals.size()); what = "unknown global "; break;
      default: return r.malformed_at(at, "malformed export kind");
    }
    if (e.index >= limit) return r.invalid_at(at, what + std::to_string(e.index));
    if (kind == 0) context_.refs[e.index] = true;
    e.kind = static_cast<ExternKind>(kind);
    if (!names.insert(e.name).second) return r.invalid_at(name_at, "duplicate export name");
    module_.exports.push_back(std::move(e));
  }
  return true;
}

bool ModuleDecoder::start_section(BinaryReader& r) {
  size_t at = r.pos();
  uint32_t index;
  if (!r.read_u32(index)) return false;
  if (index >= module_.func_count()) {
    return r.invalid_at(at, "unknown function " + std::to_string(index));
  }
  const FuncType& type = module_.types[context_.func_types[index]];
  if (!type.params.empty() || !type.results.empty()) return r.invalid_at(at, "start function");
  module_.start = index;
  return true;
}

bool ModuleDecoder::data_count_section(BinaryReader& r) {
  uint32_t count;
  if (!r.read_u32(count)) return false;
  module_.data_count = count;
  context_.data_count = count;
  return true;
}

bool ModuleDecoder::code_section(BinaryReader& r) {
  size_t at = r.pos();
  uint32_t count;
  if (!r.read_u32(count)) return false;
  seen_code_ = true;
  if (count != module_.functions.size()) {
    // Reported once the whole module decoded, as the reference decoder does.
    inconsistent_code_ = at;
    return r.skip(section_end_ - r.pos());
  }
  NullConsumer consumer;
  FunctionValidator<NullConsumer> validator(context_, consumer);
  for (Function& f : module_.functions) {
    size_t size_at = r.pos();
    uint32_t size;
    if (!r.read_u32(size)) return false;
    if (size > r.remaining()) return r.malformed_at(size_at, "length out of bounds");
    size_t begin = r.pos();
    f.body = ByteRange{static_cast<uint32_t>(begin), size};
    BinaryReader body(bytes_, begin, begin + size, body_end_message(begin + size));
    bool valid = validator.validate(body, module_.types[f.type_index], f);
    if (validator.used_data_index() && !module_.data_count) data_count_needed_ = true;
    if (!valid) {
      if (body.error().kind != ErrorKind::Invalid) return r.fail(body.error().kind, body.error().offset, body.error().message);
      // The reference decoder reads the whole module before validating: a malformed
      // section later on wins over this validation error.
      if (!deferred_) deferred_ = body.error();
    }
    if (!r.skip(size)) return false;
  }
  return true;
}

bool ModuleDecoder::custom_section(BinaryReader& r) {
  CustomSection custom;
  if (!r.read_name(custom.name)) return false;
  // The name ran past the section: the payload length would be negative.
  if (r.pos() > section_end_) return r.malformed_at(section_end_, "unexpected end");
  uint32_t size = static_cast<uint32_t>(section_end_ - r.pos());
  custom.contents = ByteRange{static_cast<uint32_t>(r.pos()), size};
  if (custom.name == "name") module_.names = parse_name_section(bytes_, r.pos(), section_end_);
  module_.customs.push_back(std::move(custom));
  return r.skip(size);
}

bool ModuleDecoder::section(uint8_t id, BinaryReader& r) {
  switch (id) {
    case 0: return custom_section(r);
    case 1: return type_section(r);
    case 2: return import_section(r);
    case 3: return function_section(r);
    case 4: return table_section(r);
    case 5: return memory_section(r);
    case 6: return global_section(r);
    case 7: return export_section(r);
    case 8: return start_section(r);
    case 9: return elem_section(r);
    case 10: return code_section(r);
    case 11: return data_section(r);
    case 12: return data_count_section(r);
    default: return false;
  }
}

Result<std::shared_ptr<const Module>> ModuleDecoder::decode() {
  BinaryReader r(bytes_, 0, bytes_.size());
  static constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
  static constexpr uint8_t kVersion[4] = {0x01, 0x00, 0x00, 0x00};
  if (bytes_.size() < 4) return malformed(bytes_.size(), "unexpected end");
  if (!std::equal(kMagic, kMagic + 4, bytes_.begin())) {
    return malformed(0, "magic header not detected");
  }
  if (bytes_.size() < 8) return malformed(bytes_.size(), "unexpected end");
  if (!std::equal(kVersion, kVersion + 4, bytes_.begin() + 4)) {
    return malformed(4, "unknown binary version");
  }
  if (!r.skip(8)) return r.error();
  module_.bytes.assign(bytes_.begin(), bytes_.end());
  int last_rank = 0;
  while (!r.at_end()) {
    size_t at = r.pos();
    uint8_t id;
    if (!r.read_u8(id)) return r.error();
    if (id > 12) return malformed(at, "malformed section id");
    if (id != 0) {
      if (section_rank(id) <= last_rank) return malformed(at, "unexpected content after last section");
      last_rank = section_rank(id);
    }
    uint32_t size;
    size_t size_at = r.pos();
    if (!r.read_u32(size)) return r.error();
    if (size > r.remaining()) return malformed(size_at, "length out of bounds");
    size_t begin = r.pos();
    // Like the reference decoder, a section's contents are read up to the end of the
    // module and then checked against the declared size: an item that runs past the end
    // of its section reports what is wrong with it, not just the size.
    section_end_ = begin + size;
    BinaryReader section_reader(bytes_, begin, bytes_.size(),
                                "unexpected end of section or function");
    if (!section(id, section_reader)) return section_reader.error();
    if (section_reader.pos() != section_end_) {
      return malformed(section_reader.pos(), "section size mismatch");
    }
    if (!r.skip(size)) return r.error();
    context_.refs.resize(module_.func_count(), false);
  }
  if (inconsistent_code_ || (!module_.functions.empty() && !seen_code_)) {
    return malformed(inconsistent_code_.value_or(r.pos()),
                     "function and code section have inconsistent lengths");
  }
  if (data_count_needed_ && !module_.datas.empty()) {
    return malformed(r.pos(), "data count section required");
  }
  if (module_.data_count && *module_.data_count != 0 && !seen_data_) {
    return malformed(r.pos(), "data count and data section have inconsistent lengths");
  }
  if (deferred_) return *deferred_;
  return std::shared_ptr<const Module>(std::make_shared<Module>(std::move(module_)));
}

Result<std::shared_ptr<const Module>> decode_module(std::span<const uint8_t> bytes) {
  ModuleDecoder decoder(bytes);
  return decoder.decode();
}

}  // namespace kiln
