// An in-memory Hamming-distance index over 256-bit codes (PDQ hashes), searched by
// multi-index hashing: each code is cut into 16 chunks of 16 bits, and a code within r bits of a
// query has, by pigeonhole, some chunk within floor(r / 16) bits of the query's. So a search
// looks up every chunk value that close (one bucket, or 17 with one bit flipped) in a table per
// chunk and checks only the codes found there. Where that would probe more than it saves (two
// or more flips, or a small index) it scans every code instead; both give the same matches.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace custos {

// Matches of a batch of query groups, flat: group q's are [offsets[q], offsets[q + 1]), sorted by
// (distance, id). Distances go to 256, hence 16 bits.
struct HammingMatches {
  std::vector<std::uint32_t> offsets, ids;
  std::vector<std::uint16_t> distances;
  std::vector<std::uint8_t> variants;
  // The batch would have returned more than kMaxMatches pairs; nothing else is filled in.
  bool tooMany = false;
};

// One code as 64-bit words (in the machine's byte order, which distances do not see). Aligned so
// that no code straddles two cache lines: checking a candidate is one memory access, not two.
struct alignas(32) HammingCode {
  std::uint64_t word[4];
};
static_assert(sizeof(HammingCode) == 32, "a code is 32 bytes, unpadded");

class HammingIndex {
 public:
  static constexpr std::size_t kCodeBytes = 32;
  // Beyond this a batch fails instead of allocating gigabytes (and the offsets stay 32-bit).
  static constexpr std::size_t kMaxMatches = std::size_t{1} << 26;

  // `count` codes of 32 bytes each, copied: id i is the code at codes + 32 * i.
  HammingIndex(const std::uint8_t* codes, std::size_t count);

  std::size_t size() const { return count_; }
  std::size_t memoryBytes() const;

  // `groups` groups of `variants` codes each (groups * variants * 32 bytes at queries). Each code
  // within maxDistance of any code of a group is returned once for that group, with its smallest
  // distance and the lowest variant index reaching it. Runs on `threads` threads (>= 1),
  // including the calling one. Sizes are the caller's to check.
  HammingMatches search(const std::uint8_t* queries, std::size_t groups, int variants, int maxDistance, int threads) const;

  // How popcount is computed: "popcnt" (the x86 instruction), "builtin" (the compiler's, on other
  // CPUs) or "swar" (portable bit arithmetic, on x86 CPUs without POPCNT).
  static const char* popcountKind();

 private:
  std::size_t count_;
  std::vector<HammingCode> codes_;
  // Per chunk c: ids_[c * count_ + offsets_[c * 65537 + v] ...] are the codes whose chunk c is v.
  // Empty for a small index, which is always scanned.
  std::vector<std::uint32_t> offsets_, ids_;
};

}  // namespace custos
