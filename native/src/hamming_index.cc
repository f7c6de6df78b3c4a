// The Hamming index (see hamming_index.h). The hot loops are templates inlined into one entry
// point per popcount flavour, so that on x86 with GCC or Clang the whole search can be compiled
// for the POPCNT instruction and picked at run time: Debian's default x86-64 target predates it,
// and there __builtin_popcountll is a call into libgcc, several times slower.
#include "hamming_index.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <thread>

#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#define CUSTOS_INLINE __forceinline
#else
#define CUSTOS_INLINE __attribute__((always_inline)) inline
#endif

#if defined(__GNUC__)
#define CUSTOS_PREFETCH(address) __builtin_prefetch(address)
#elif defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
#define CUSTOS_PREFETCH(address) _mm_prefetch(reinterpret_cast<const char*>(address), _MM_HINT_T0)
#else
#define CUSTOS_PREFETCH(address) ((void)(address))
#endif

#if defined(_MSC_VER) && !defined(__clang__) && defined(_M_X64)
#define CUSTOS_POPCOUNT_MSVC 1
#elif defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
#define CUSTOS_POPCOUNT_DISPATCH 1
#elif defined(__GNUC__)
#define CUSTOS_POPCOUNT_BUILTIN 1
#endif

namespace custos {
namespace {

constexpr int kChunks = 16;
constexpr std::size_t kBuckets = 65536;
constexpr std::size_t kTable = kBuckets + 1;
// Below this many codes, scanning them all costs about what probing 16 x 17 buckets does.
constexpr std::size_t kScanBelow = 4096;
// Candidates are random reads across all the codes, each a likely cache miss: fetching some
// ahead keeps several misses in flight (measured on 10^6 codes: 5x the queries per second with
// 8 variants, 2x with 1).
constexpr std::size_t kPrefetchAhead = 16;

struct PortablePopcount {
  static CUSTOS_INLINE int count(std::uint64_t x) {
    x -= (x >> 1) & 0x5555555555555555ull;
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return static_cast<int>((x * 0x0101010101010101ull) >> 56);
  }
};

#if defined(CUSTOS_POPCOUNT_MSVC)
struct FastPopcount {
  static CUSTOS_INLINE int count(std::uint64_t x) { return static_cast<int>(__popcnt64(x)); }
};
#elif defined(CUSTOS_POPCOUNT_DISPATCH) || defined(CUSTOS_POPCOUNT_BUILTIN)
// On x86 this is the instruction only once inlined into a function built with target("popcnt").
struct FastPopcount {
  static CUSTOS_INLINE int count(std::uint64_t x) { return __builtin_popcountll(x); }
};
#endif

// One batch, shared read-only by its threads but for the match count.
struct Batch {
  const HammingCode* codes;
  std::size_t count;
  const std::uint32_t* offsets;  // null: scan every code
  const std::uint32_t* ids;
  const HammingCode* queries;
  int variants, maxDistance;
  std::atomic<std::size_t> total{0};
  std::atomic<bool> tooMany{false};
};

// One thread's share: per group the number of matches, and the matches as keys that sort by
// (distance, id): distance << 40 | id << 8 | variant.
struct Slice {
  std::vector<std::uint32_t> counts;
  std::vector<std::uint64_t> keys;
};

CUSTOS_INLINE std::uint32_t chunkOf(const HammingCode& code, int chunk) {
  return static_cast<std::uint32_t>(code.word[chunk >> 2] >> ((chunk & 3) * 16)) & 0xffffu;
}

template <class Pop>
CUSTOS_INLINE std::uint32_t distance(const HammingCode& a, const HammingCode& b) {
  return static_cast<std::uint32_t>(Pop::count(a.word[0] ^ b.word[0]) + Pop::count(a.word[1] ^ b.word[1]) +
                                    Pop::count(a.word[2] ^ b.word[2]) + Pop::count(a.word[3] ^ b.word[3]));
}

// distance << 8 | variant for the group's variant closest to the code: as one number, the
// minimum also picks the lowest variant among equally close ones.
template <class Pop, int V>
CUSTOS_INLINE std::uint32_t closest(const HammingCode& code, const HammingCode* group) {
  std::uint32_t best = distance<Pop>(code, group[0]) << 8;
  for (int v = 1; v < V; ++v) best = std::min(best, distance<Pop>(code, group[v]) << 8 | static_cast<std::uint32_t>(v));
  return best;
}

CUSTOS_INLINE void keep(std::vector<std::uint64_t>& keys, std::uint32_t best, std::size_t id) {
  keys.push_back(std::uint64_t{best >> 8} << 40 | std::uint64_t{id} << 8 | (best & 0xffu));
}

template <class Pop, int V>
CUSTOS_INLINE void scanGroup(const Batch& b, const HammingCode* group, std::uint32_t limit, std::vector<std::uint64_t>& keys) {
  for (std::size_t id = 0; id < b.count; ++id) {
    const std::uint32_t best = closest<Pop, V>(b.codes[id], group);
    if (best <= limit) keep(keys, best, id);
  }
}

// `seen` is a bit per code, all clear between groups: N / 8 bytes stays in cache where a stamp
// per code would not.
template <class Pop, int V>
CUSTOS_INLINE void probeGroup(const Batch& b, const HammingCode* group, std::uint32_t limit, std::vector<std::uint64_t>& seen,
                              std::vector<std::uint32_t>& candidates, std::vector<std::uint64_t>& keys) {
  const bool flip = b.maxDistance >= 16;
  candidates.clear();
  for (int v = 0; v < V; ++v) {
    for (int chunk = 0; chunk < kChunks; ++chunk) {
      const std::uint32_t* offsets = b.offsets + chunk * kTable;
      const std::uint32_t* ids = b.ids + chunk * b.count;
      const std::uint32_t value = chunkOf(group[v], chunk);
      for (int p = 0; p < (flip ? 17 : 1); ++p) {
        const std::uint32_t probe = p == 0 ? value : value ^ (1u << (p - 1));
        for (std::uint32_t i = offsets[probe], end = offsets[probe + 1]; i < end; ++i) {
          const std::uint32_t id = ids[i];
          std::uint64_t& word = seen[id >> 6];
          const std::uint64_t mask = std::uint64_t{1} << (id & 63);
          if ((word & mask) == 0) {
            word |= mask;
            candidates.push_back(id);
          }
        }
      }
    }
  }
  // Each candidate is checked once, against every variant, whichever chunk and variant found it.
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (i + kPrefetchAhead < candidates.size()) CUSTOS_PREFETCH(&b.codes[candidates[i + kPrefetchAhead]]);
    const std::uint32_t id = candidates[i];
    seen[id >> 6] = 0;  // only candidates have bits set
    const std::uint32_t best = closest<Pop, V>(b.codes[id], group);
    if (best <= limit) keep(keys, best, id);
  }
}

template <class Pop, int V>
CUSTOS_INLINE void searchSlice(Batch& b, std::size_t first, std::size_t last, Slice& out) {
  const std::uint32_t limit = static_cast<std::uint32_t>(b.maxDistance) << 8 | 0xffu;
  const bool probe = b.offsets != nullptr && b.maxDistance < 32;
  std::vector<std::uint64_t> seen(probe ? (b.count + 63) / 64 : 0);
  std::vector<std::uint32_t> candidates;
  out.counts.reserve(last - first);
  for (std::size_t q = first; q < last && !b.tooMany.load(std::memory_order_relaxed); ++q) {
    const HammingCode* group = b.queries + V * q;
    const std::size_t before = out.keys.size();
    if (probe) {
      probeGroup<Pop, V>(b, group, limit, seen, candidates, out.keys);
    } else {
      scanGroup<Pop, V>(b, group, limit, out.keys);
    }
    const std::size_t found = out.keys.size() - before;
    std::sort(out.keys.begin() + static_cast<std::ptrdiff_t>(before), out.keys.end());
    out.counts.push_back(static_cast<std::uint32_t>(found));
    if (b.total.fetch_add(found, std::memory_order_relaxed) + found > HammingIndex::kMaxMatches) b.tooMany = true;
  }
}

template <class Pop>
CUSTOS_INLINE void searchSliceOf(Batch& b, std::size_t first, std::size_t last, Slice& out) {
  if (b.variants == 8) {
    searchSlice<Pop, 8>(b, first, last, out);
  } else {
    searchSlice<Pop, 1>(b, first, last, out);
  }
}

void searchPortable(Batch& b, std::size_t first, std::size_t last, Slice& out) { searchSliceOf<PortablePopcount>(b, first, last, out); }

#if defined(CUSTOS_POPCOUNT_DISPATCH)
__attribute__((target("popcnt"))) void searchPopcnt(Batch& b, std::size_t first, std::size_t last, Slice& out) {
  searchSliceOf<FastPopcount>(b, first, last, out);
}

bool cpuHasPopcnt() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("popcnt") != 0;
  }();
  return has;
}
#elif defined(CUSTOS_POPCOUNT_MSVC) || defined(CUSTOS_POPCOUNT_BUILTIN)
void searchFast(Batch& b, std::size_t first, std::size_t last, Slice& out) { searchSliceOf<FastPopcount>(b, first, last, out); }
#endif

using SliceSearch = void (*)(Batch&, std::size_t, std::size_t, Slice&);

SliceSearch sliceSearch() {
#if defined(CUSTOS_POPCOUNT_DISPATCH)
  return cpuHasPopcnt() ? searchPopcnt : searchPortable;
#elif defined(CUSTOS_POPCOUNT_MSVC) || defined(CUSTOS_POPCOUNT_BUILTIN)
  return searchFast;
#else
  return searchPortable;
#endif
}

}  // namespace

HammingIndex::HammingIndex(const std::uint8_t* codes, std::size_t count) : count_(count), codes_(count) {
  if (count == 0) return;
  std::memcpy(codes_.data(), codes, count * kCodeBytes);
  if (count < kScanBelow) return;
  // Counting sort of the ids by each chunk, all 16 chunks per pass over the codes.
  offsets_.assign(kChunks * kTable, 0);
  ids_.resize(kChunks * count);
  for (std::size_t i = 0; i < count; ++i) {
    for (int c = 0; c < kChunks; ++c) ++offsets_[c * kTable + chunkOf(codes_[i], c) + 1];
  }
  for (int c = 0; c < kChunks; ++c) {
    std::uint32_t* off = &offsets_[c * kTable];
    for (std::size_t v = 0; v < kBuckets; ++v) off[v + 1] += off[v];
  }
  // Filling a bucket moves its start to its end, the next bucket's start: shifted back after.
  for (std::size_t i = 0; i < count; ++i) {
    for (int c = 0; c < kChunks; ++c) ids_[c * count + offsets_[c * kTable + chunkOf(codes_[i], c)]++] = static_cast<std::uint32_t>(i);
  }
  for (int c = 0; c < kChunks; ++c) {
    std::uint32_t* off = &offsets_[c * kTable];
    std::memmove(off + 1, off, kBuckets * sizeof(std::uint32_t));
    off[0] = 0;
  }
}

std::size_t HammingIndex::memoryBytes() const {
  return sizeof(*this) + codes_.capacity() * sizeof(HammingCode) + (offsets_.capacity() + ids_.capacity()) * sizeof(std::uint32_t);
}

const char* HammingIndex::popcountKind() {
#if defined(CUSTOS_POPCOUNT_DISPATCH)
  return cpuHasPopcnt() ? "popcnt" : "swar";
#elif defined(CUSTOS_POPCOUNT_MSVC)
  return "popcnt";
#elif defined(CUSTOS_POPCOUNT_BUILTIN)
  return "builtin";
#else
  return "swar";
#endif
}

HammingMatches HammingIndex::search(const std::uint8_t* queries, std::size_t groups, int variants, int maxDistance, int threads) const {
  std::vector<HammingCode> codes(groups * variants);
  if (!codes.empty()) std::memcpy(codes.data(), queries, codes.size() * kCodeBytes);
  Batch batch{codes_.data(), count_, offsets_.empty() ? nullptr : offsets_.data(), ids_.data(), codes.data(), variants, maxDistance};
  const std::size_t workers = std::max<std::size_t>(1, std::min<std::size_t>(static_cast<std::size_t>(threads), groups));
  std::vector<Slice> slices(workers);
  const SliceSearch search = sliceSearch();
  const auto run = [&](std::size_t w) { search(batch, groups * w / workers, groups * (w + 1) / workers, slices[w]); };
  std::vector<std::thread> pool;
  for (std::size_t w = 1; w < workers; ++w) pool.emplace_back(run, w);
  run(0);
  for (std::thread& thread : pool) thread.join();

  HammingMatches out;
  if (batch.tooMany) {
    out.tooMany = true;
    return out;
  }
  const std::size_t total = batch.total.load();
  out.offsets.reserve(groups + 1);
  out.offsets.push_back(0);
  out.ids.resize(total);
  out.distances.resize(total);
  out.variants.resize(total);
  std::size_t i = 0;
  for (const Slice& slice : slices) {
    for (const std::uint32_t found : slice.counts) out.offsets.push_back(out.offsets.back() + found);
    for (const std::uint64_t key : slice.keys) {
      out.ids[i] = static_cast<std::uint32_t>(key >> 8);
      out.distances[i] = static_cast<std::uint16_t>(key >> 40);
      out.variants[i] = static_cast<std::uint8_t>(key);
      ++i;
    }
  }
  return out;
}

}  // namespace custos
