// Decoding and validation of a binary module, fused in one pass (spec chapters 5 and 3).
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "runtime/module.h"
#include "runtime/result.h"

namespace kiln {

/// Decodes and validates `bytes`. On success the module is valid and immutable; on failure
/// the Error says whether the input was malformed or invalid, where, and why, in the
/// spec suite's words. Never crashes and never allocates in proportion to counts the input
/// claims but does not back with bytes.
Result<std::shared_ptr<const Module>> decode_module(std::span<const uint8_t> bytes);

}  // namespace kiln
