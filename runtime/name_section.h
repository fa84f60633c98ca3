// Parsing of the "name" custom section (spec appendix 7.4.1 / A.4): module name, function
// names and local names. A malformed name section is ignored, never an error.
#pragma once

#include <cstdint>
#include <span>

#include "runtime/module.h"

namespace kiln {

/// Parses the contents of a "name" custom section (after its name). Returns the names, or
/// an empty NameSection if the contents are malformed.
NameSection parse_name_section(std::span<const uint8_t> bytes, size_t begin, size_t end);

}  // namespace kiln
