// Encodes a TextModule in the binary format (spec 5.5): sections in their required order,
// LEB128 integers, and the elem/data segment flag forms of Wasm 2.0.
#include "runtime/text/text_module.h"

namespace kiln::text {

void write_u32(Bytes& out, uint32_t value) {
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value != 0) byte |= 0x80;
    out.push_back(byte);
  } while (value != 0);
}

void write_s64(Bytes& out, int64_t value) {
  while (true) {
    uint8_t byte = value & 0x7f;
    value >>= 7;  // arithmetic shift
    bool done = (value == 0 && !(byte & 0x40)) || (value == -1 && (byte & 0x40));
    if (!done) byte |= 0x80;
    out.push_back(byte);
    if (done) break;
  }
}

void write_s32(Bytes& out, int32_t value) { write_s64(out, value); }

void write_fixed(Bytes& out, uint64_t bits, unsigned bytes) {
  for (unsigned i = 0; i < bytes; ++i) out.push_back(static_cast<uint8_t>(bits >> (8 * i)));
}

namespace {

void write_name(Bytes& out, const std::string& name) {
  write_u32(out, static_cast<uint32_t>(name.size()));
  out.insert(out.end(), name.begin(), name.end());
}

void write_limits(Bytes& out, const Limits& limits) {
  out.push_back(limits.max ? 0x01 : 0x00);
  write_u32(out, static_cast<uint32_t>(limits.min));
  if (limits.max) write_u32(out, static_cast<uint32_t>(*limits.max));
}

void write_table_type(Bytes& out, const TableType& table) {
  out.push_back(static_cast<uint8_t>(table.element));
  write_limits(out, table.limits);
}

void write_global_type(Bytes& out, const GlobalType& global) {
  out.push_back(static_cast<uint8_t>(global.type));
  out.push_back(global.mutable_ ? 0x01 : 0x00);
}

void write_section(Bytes& out, uint8_t id, const Bytes& content) {
  out.push_back(id);
  write_u32(out, static_cast<uint32_t>(content.size()));
  out.insert(out.end(), content.begin(), content.end());
}

void write_elem(Bytes& s, const TextElem& e) {
  const bool funcref_indices = !e.uses_exprs && e.type == ValType::FuncRef;
  uint32_t flags = 0;
  switch (e.mode) {
    case TextElem::Mode::Active:
      flags = (e.table == 0 && e.type == ValType::FuncRef) ? 0 : 2;
      break;
    case TextElem::Mode::Passive: flags = 1; break;
    case TextElem::Mode::Declarative: flags = 3; break;
  }
  const bool exprs = !funcref_indices;
  if (exprs) flags |= 4;
  write_u32(s, flags);
  if (e.mode == TextElem::Mode::Active) {
    if (flags & 2) write_u32(s, e.table);
    s.insert(s.end(), e.offset.begin(), e.offset.end());
  }
  if (flags & 3) {
    if (exprs)
      s.push_back(static_cast<uint8_t>(e.type));
    else
      s.push_back(0x00);  // elemkind funcref
  }
  if (exprs) {
    write_u32(s, static_cast<uint32_t>(e.exprs.size() + e.funcs.size()));
    for (const Bytes& x : e.exprs) s.insert(s.end(), x.begin(), x.end());
    for (uint32_t f : e.funcs) {  // function indices of a non-funcref segment (invalid)
      s.push_back(0xd2);
      write_u32(s, f);
      s.push_back(0x0b);
    }
  } else {
    write_u32(s, static_cast<uint32_t>(e.funcs.size()));
    for (uint32_t f : e.funcs) write_u32(s, f);
  }
}

}  // namespace

// The "name" custom section (spec 7.4.1): module name (subsection 0) and function names
// (subsection 1, by increasing index), when the text gave any.
void write_name_section(Bytes& out, const TextModule& m) {
  if (!m.module_name && m.func_names.empty()) return;
  Bytes contents;
  write_name(contents, "name");
  Bytes sub;
  if (m.module_name) {
    write_name(sub, *m.module_name);
    write_section(contents, 0, sub);
  }
  if (!m.func_names.empty()) {
    sub.clear();
    write_u32(sub, static_cast<uint32_t>(m.func_names.size()));
    for (const auto& [index, name] : m.func_names) {
      write_u32(sub, index);
      write_name(sub, name);
    }
    write_section(contents, 1, sub);
  }
  write_section(out, 0, contents);
}

Bytes encode_module(const TextModule& m) {
  Bytes out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  Bytes s;
  if (!m.types.empty()) {
    s.clear();
    write_u32(s, static_cast<uint32_t>(m.types.size()));
    for (const FuncType& t : m.types) {
      s.push_back(0x60);
      write_u32(s, static_cast<uint32_t>(t.params.size()));
      for (ValType v : t.params) s.push_back(static_cast<uint8_t>(v));
      write_u32(s, static_cast<uint32_t>(t.results.size()));
      for (ValType v : t.results) s.push_back(static_cast<uint8_t>(v));
    }
    write_section(out, 1, s);
  }
  if (!m.imports.empty()) {
    s.clear();
    write_u32(s, static_cast<uint32_t>(m.imports.size()));
    for (const TextImport& i : m.imports) {
      write_name(s, i.module);
      write_name(s, i.field);
      s.push_back(static_cast<uint8_t>(i.kind));
      switch (i.kind) {
        case ExternKind::Func: write_u32(s, i.type_index); break;
        case ExternKind::Table: write_table_type(s, i.table); break;
        case ExternKind::Memory: write_limits(s, i.memory.limits); break;
        case ExternKind::Global: write_global_type(s, i.global); break;
      }
    }
    write_section(out, 2, s);
  }
  if (!m.funcs.empty()) {
    s.clear();
    write_u32(s, static_cast<uint32_t>(m.funcs.size()));
    for (const TextFunc& f : m.funcs) write_u32(s, f.type_index);
    write_section(out, 3, s);
  }
  if (!m.tables.empty()) {
    s.clear();
    write_u32(s, static_cast<uint32_t>(m.tables.size()));
    for (const TableType& t : m.tables) write_table_type(s, t);
    write_section(out, 4, s);
  }
  if (!m.memories.empty()) {
    s.clear();
    write_u32(s, static_cast<uint32_t>(m.memories.size()));
    for (const MemoryType& mem : m.memories) write_limits(s, mem.limits);
    write_section(out, 5, s);
  }
  if (!m.globals.empty()) {
    s.clear();
    write_u32(s, static_cast<uint32_t>(m.globals.size()));
    for (const TextGlobal& g : m.globals) {
      write_global_type(s, g.type);
      s.insert(s.end(), g.init.begin(), g.init.end());
    }
    write_section(out, 6, s);
  }
  if (!m.exports.empty()) {
    s.clear();
    write_u32(s, static_cast<uint32_t>(m.exports.size()));
    for (const TextExport& e : m.exports) {
      write_name(s, e.name);
      s.push_back(static_cast<uint8_t>(e.kind));
      write_u32(s, e.index);
    }
    write_section(out, 7, s);
  }
  if (m.start) {
    s.clear();
    write_u32(s, *m.start);
    write_section(out, 8, s);
  }
  if (!m.elems.empty()) {
    s.clear();
    write_u32(s, static_cast<uint32_t>(m.elems.size()));
    for (const TextElem& e : m.elems) write_elem(s, e);
    write_section(out, 9, s);
  }
  if (m.needs_data_count) {
    s.clear();
    write_u32(s, static_cast<uint32_t>(m.datas.size()));
    write_section(out, 12, s);
  }
  if (!m.funcs.empty()) {
    s.clear();
    write_u32(s, static_cast<uint32_t>(m.funcs.size()));
    for (const TextFunc& f : m.funcs) {
      Bytes code;
      // Compress runs of equal local types.
      std::vector<std::pair<uint32_t, ValType>> runs;
      for (ValType v : f.locals) {
        if (!runs.empty() && runs.back().second == v)
          ++runs.back().first;
        else
          runs.push_back({1, v});
      }
      write_u32(code, static_cast<uint32_t>(runs.size()));
      for (auto [count, type] : runs) {
        write_u32(code, count);
        code.push_back(static_cast<uint8_t>(type));
      }
      code.insert(code.end(), f.body.begin(), f.body.end());
      write_u32(s, static_cast<uint32_t>(code.size()));
      s.insert(s.end(), code.begin(), code.end());
    }
    write_section(out, 10, s);
  }
  if (!m.datas.empty()) {
    s.clear();
    write_u32(s, static_cast<uint32_t>(m.datas.size()));
    for (const TextData& d : m.datas) {
      if (!d.active) {
        s.push_back(0x01);
      } else if (d.memory == 0) {
        s.push_back(0x00);
        s.insert(s.end(), d.offset.begin(), d.offset.end());
      } else {
        s.push_back(0x02);
        write_u32(s, d.memory);
        s.insert(s.end(), d.offset.begin(), d.offset.end());
      }
      write_name(s, d.bytes);
    }
    write_section(out, 11, s);
  }
  write_name_section(out, m);
  return out;
}

}  // namespace kiln::text
