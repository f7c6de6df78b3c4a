// VICS media records packed for the store in one pass (vics_pack.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace custos {

// reader-thread/identity.ts IDENTITY_WIDTH: md5, sha1, sha256, pdq, blockhash, presence, category.
constexpr size_t kVicsIdentityWidth = 141;

struct VicsPacked {
  std::string rows;  // each entry's row JSON, comma-separated, no brackets (reader-thread/pack.ts)
  std::vector<uint8_t> digests;
  std::vector<uint8_t> identities;  // identity records, not yet hashed
  uint32_t entries = 0;
  bool categorised = false;

  // Empty again, its memory kept for the next records.
  void clear() {
    rows.clear();
    digests.clear();
    identities.clear();
    entries = 0;
    categorised = false;
  }
};

// Packs records start.. of `count` (record i is text[starts[i], ends[i]), or without starts
// text[ends[i-1], ends[i]), the first from 0) until one it does not take; returns that record's
// index (count when it took them all).
size_t packVicsMedia(const char* text, const uint32_t* starts, const uint32_t* ends, size_t count, size_t start, VicsPacked& out);

}  // namespace custos
