// Whole JSON objects in a row, found in a file's bytes (json_split.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace custos {

struct SplitObjects {
  std::vector<uint32_t> starts;       // each object's first byte ('{')
  std::vector<uint32_t> ends;         // just past its '}'
  std::vector<uint32_t> lineOffsets;  // newlines between `from` and its start
  size_t next = 0;                    // just past the last object taken (`from` when none)
  size_t lines = 0;                   // newlines between `from` and `next`

  void clear() {
    starts.clear();
    ends.clear();
    lineOffsets.clear();
    next = 0;
    lines = 0;
  }
};

// From `from`, an element's start in a JSON array (whitespace may come first), takes up to
// `maxCount` objects separated by commas, as importers/json-scan.ts would find them: brackets
// matched outside strings, newlines counted outside strings. It stops after the last object it
// takes: before a ',' whose next element is not an object, does not end within the text, or is not
// valid UTF-8; before ']' or anything else. What it does not take the scanner reads itself.
void splitObjects(const uint8_t* text, size_t length, size_t from, size_t maxCount, SplitObjects& out);

}  // namespace custos
