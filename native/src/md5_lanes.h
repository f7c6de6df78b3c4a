// MD5 of several independent streams at once, one stream per SIMD lane (16 with AVX-512, 8 with
// AVX2, else one at a time). MD5 is a serial chain within a stream: a single stream runs at the
// latency of its 64 dependent steps per block, about 5 cycles a byte, whatever the vector width.
// Lanes fill that latency with other streams, so n files are hashed in about the time of one.
// This is what lets exact hashing beat node:crypto, where MD5 alone is two thirds of the cost.
#pragma once

#include <cstddef>
#include <cstdint>

namespace custos {

struct Md5Stream {
  // State words a, b, c, d; advanced in place.
  std::uint32_t* state;
  // Whole 64-byte blocks: padding and the final partial block are the caller's.
  const std::uint8_t* data;
  std::size_t blocks;
};

// Advances every stream over its blocks.
void md5Blocks(Md5Stream* streams, std::size_t count);

// How many streams this CPU advances together (1 when no vector path applies).
int md5Lanes();

}  // namespace custos
