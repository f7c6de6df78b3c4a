// SHA-1 and SHA-256 block functions on the x86 SHA extensions. Node's bundled OpenSSL hashes
// about 1.1-1.2 GB/s here where these instructions give 1.7-1.9: with MD5 in SIMD lanes, these
// two are most of what is left of exact hashing.
#pragma once

#include <cstddef>
#include <cstdint>

namespace custos {

// True when the CPU has the SHA extensions (and the build targets x86 with GCC or Clang).
bool shaExtensions();

// Advance state (5 words for SHA-1, 8 for SHA-256, in FIPS 180-4 order) over whole 64-byte
// blocks. Only to be called when shaExtensions() is true.
void sha1Blocks(std::uint32_t* state, const std::uint8_t* data, std::size_t blocks);
void sha256Blocks(std::uint32_t* state, const std::uint8_t* data, std::size_t blocks);

}  // namespace custos
