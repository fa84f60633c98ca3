// The "name" custom section: subsections 0 (module), 1 (functions), 2 (locals); unknown
// subsections are skipped. Any malformation discards the whole section.
#include "runtime/name_section.h"

#include "runtime/binary_reader.h"

namespace kiln {
namespace {

bool read_name_map(BinaryReader& reader, std::map<uint32_t, std::string>& out) {
  uint32_t count;
  if (!reader.read_count(count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t index;
    std::string name;
    if (!reader.read_u32(index) || !reader.read_name(name)) return false;
    out[index] = std::move(name);
  }
  return true;
}

bool parse(BinaryReader& reader, NameSection& names) {
  int last_id = -1;
  while (!reader.at_end()) {
    uint8_t id;
    uint32_t size;
    if (!reader.read_u8(id) || !reader.read_u32(size)) return false;
    if (size > reader.remaining() || static_cast<int>(id) <= last_id) return false;
    last_id = id;
    BinaryReader sub(std::span<const uint8_t>(reader.data(), reader.end()), reader.pos(),
                     reader.pos() + size);
    if (!reader.skip(size)) return false;
    switch (id) {
      case 0: {
        std::string name;
        if (!sub.read_name(name)) return false;
        names.module = std::move(name);
        break;
      }
      case 1:
        if (!read_name_map(sub, names.functions)) return false;
        break;
      case 2: {
        uint32_t count;
        if (!sub.read_count(count)) return false;
        for (uint32_t i = 0; i < count; ++i) {
          uint32_t func;
          if (!sub.read_u32(func) || !read_name_map(sub, names.locals[func])) return false;
        }
        break;
      }
      default:
        continue;  // other subsections (labels, types, ...) are not used
    }
    if (!sub.at_end()) return false;
  }
  return true;
}

}  // namespace

NameSection parse_name_section(std::span<const uint8_t> bytes, size_t begin, size_t end) {
  BinaryReader reader(bytes, begin, end);
  NameSection names;
  if (!parse(reader, names)) return NameSection{};
  return names;
}

}  // namespace kiln
