// Sorting fixed-width hash keys together with their entry ids, for the hash-set import's key
// blocks. Keys are digests, so their first two bytes spread them evenly: a counting sort on those
// bytes leaves buckets of a few keys each, finished with a comparison sort.
#include "key_sort.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace custos {

void sortKeys(uint8_t* keys, double* ids, size_t n, size_t width) {
  if (n < 2 || width == 0) return;
  const size_t radix = width >= 2 ? 65536 : 256;
  auto bucketOf = [&](size_t i) -> size_t {
    const uint8_t* k = keys + i * width;
    return width >= 2 ? (static_cast<size_t>(k[0]) << 8) | k[1] : k[0];
  };
  std::vector<uint32_t> start(radix + 1, 0);
  for (size_t i = 0; i < n; i++) start[bucketOf(i) + 1]++;
  for (size_t b = 0; b < radix; b++) start[b + 1] += start[b];
  std::vector<uint32_t> order(n);
  {
    std::vector<uint32_t> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < n; i++) order[next[bucketOf(i)]++] = static_cast<uint32_t>(i);
  }
  auto less = [&](uint32_t a, uint32_t b) {
    const int c = std::memcmp(keys + a * width, keys + b * width, width);
    return c < 0 || (c == 0 && ids[a] < ids[b]);
  };
  for (size_t b = 0; b < radix; b++) {
    if (start[b + 1] - start[b] > 1) std::sort(order.begin() + start[b], order.begin() + start[b + 1], less);
  }
  // Apply the permutation in place, cycle by cycle: an import sorts up to millions of keys and
  // should not need a second copy of them (order[i] names the key that belongs at i).
  std::vector<uint8_t> held(width);
  for (size_t i = 0; i < n; i++) {
    if (order[i] == i) continue;
    std::memcpy(held.data(), keys + i * width, width);
    const double heldId = ids[i];
    size_t at = i;
    for (;;) {
      const size_t from = order[at];
      order[at] = static_cast<uint32_t>(at);
      if (from == i) {
        std::memcpy(keys + at * width, held.data(), width);
        ids[at] = heldId;
        break;
      }
      std::memcpy(keys + at * width, keys + from * width, width);
      ids[at] = ids[from];
      at = from;
    }
  }
}

namespace {

inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

inline uint64_t avalanche(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

}  // namespace

void recordKeys(const uint8_t* records, size_t n, size_t width, uint8_t* out) {
  for (size_t i = 0; i < n; i++) {
    const uint8_t* r = records + i * width;
    uint64_t a = 0x9e3779b97f4a7c15ULL ^ width, b = 0x632be59bd9b4e019ULL ^ (width << 1);
    for (size_t at = 0; at < width; at += 8) {
      uint64_t w = 0;
      std::memcpy(&w, r + at, width - at < 8 ? width - at : 8);
      a = rotl(a ^ (w * 0x87c37b91114253d5ULL), 31) * 0x4cf5ad432745937fULL;
      b = rotl(b ^ (w * 0x4cf5ad432745937fULL), 33) * 0x87c37b91114253d5ULL + a;
    }
    a = avalanche(a + b);
    b = avalanche(b + a);
    std::memcpy(out + i * 16, &a, 8);
    std::memcpy(out + i * 16 + 8, &b, 8);
  }
}

size_t gatherKeys(const uint8_t* records, size_t stride, size_t offset, size_t width, size_t count, size_t zeroWidth, uint8_t* keys, double* ids, double firstId) {
  size_t copied = 0;
  for (size_t i = 0; i < count; i++) {
    const uint8_t* key = records + i * stride + offset;
    if (zeroWidth > 0) {
      uint8_t any = 0;
      for (size_t k = 0; k < zeroWidth; k++) any |= key[k];
      if (any == 0) continue;
    }
    std::memcpy(keys + copied * width, key, width);
    ids[copied++] = firstId + static_cast<double>(i);
  }
  return copied;
}

}  // namespace custos
