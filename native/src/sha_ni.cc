// The round and message-schedule instructions follow Intel's description of the SHA extensions
// ("Intel SHA Extensions", 2013): SHA-256 keeps the state as ABEF/CDGH halves and runs two
// rounds per SHA256RNDS2; SHA-1 runs four rounds per SHA1RNDS4 with E carried by SHA1NEXTE.
// The message schedule is written as the recurrences it implements, one 4-word group at a time.
#include "sha_ni.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define CUSTOS_SHA_X86 1
#endif

namespace custos {

#ifdef CUSTOS_SHA_X86

bool shaExtensions() {
  static const bool has = [] {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    const bool sha = (b >> 29) & 1;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    const bool sse41 = (c >> 19) & 1, ssse3 = (c >> 9) & 1;
    return sha && sse41 && ssse3;
  }();
  return has;
}

#define CUSTOS_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

namespace {

alignas(16) constexpr std::uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
    0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
    0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
    0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
    0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
    0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

}  // namespace

CUSTOS_SHA_TARGET void sha256Blocks(std::uint32_t* state, const std::uint8_t* data, std::size_t blocks) {
  const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0xB1);      // CDAB
  __m128i state1 = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state + 4)), 0x1B);  // EFGH
  __m128i state0 = _mm_alignr_epi8(tmp, state1, 8);                                                   // ABEF
  state1 = _mm_blend_epi16(state1, tmp, 0xF0);                                                        // CDGH
  for (std::size_t blk = 0; blk < blocks; blk++, data += 64) {
    const __m128i abefSaved = state0, cdghSaved = state1;
    // w[g % 4] holds message group g (words 4g..4g+3) once it is due.
    __m128i w[4];
#pragma GCC unroll 4
    for (int g = 0; g < 4; g++) w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * g)), byteSwap);
#pragma GCC unroll 16
    for (int g = 0; g < 16; g++) {
      const __m128i cur = w[g % 4];
      __m128i msg = _mm_add_epi32(cur, _mm_load_si128(reinterpret_cast<const __m128i*>(K256 + 4 * g)));
      state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
      // Group g+1 = msg2(msg1(g-3, g-2) + words 4g-3..4g, group g).
      if (g >= 3 && g <= 14) {
        __m128i next = _mm_add_epi32(w[(g + 1) % 4], _mm_alignr_epi8(cur, w[(g + 3) % 4], 4));
        w[(g + 1) % 4] = _mm_sha256msg2_epu32(next, cur);
      }
      msg = _mm_shuffle_epi32(msg, 0x0E);
      state0 = _mm_sha256rnds2_epu32(state0, state1, msg);
      // The sigma0 half of group g+3, from groups g-1 and g.
      if (g >= 1 && g <= 12) w[(g + 3) % 4] = _mm_sha256msg1_epu32(w[(g + 3) % 4], cur);
    }
    state0 = _mm_add_epi32(state0, abefSaved);
    state1 = _mm_add_epi32(state1, cdghSaved);
  }
  tmp = _mm_shuffle_epi32(state0, 0x1B);     // FEBA
  state1 = _mm_shuffle_epi32(state1, 0xB1);  // DCHG
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_blend_epi16(tmp, state1, 0xF0));     // DCBA
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state + 4), _mm_alignr_epi8(state1, tmp, 8));  // HGFE
}

CUSTOS_SHA_TARGET void sha1Blocks(std::uint32_t* state, const std::uint8_t* data, std::size_t blocks) {
  const __m128i byteSwap = _mm_set_epi64x(0x0001020304050607ULL, 0x08090a0b0c0d0e0fULL);
  __m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(state)), 0x1B);
  __m128i e0 = _mm_set_epi32(static_cast<int>(state[4]), 0, 0, 0);
  for (std::size_t blk = 0; blk < blocks; blk++, data += 64) {
    const __m128i abcdSaved = abcd, eSaved = e0;
    __m128i w[4];
#pragma GCC unroll 4
    for (int g = 0; g < 4; g++) w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * g)), byteSwap);
    __m128i e1 = abcd;
    // Group g's rounds take E from the value kept before group g-1 (e0 for even g, e1 for odd).
    e0 = _mm_add_epi32(e0, w[0]);
    abcd = _mm_sha1rnds4_epu32(abcd, e0, 0);
#pragma GCC unroll 20
    for (int g = 1; g < 20; g++) {
      const __m128i cur = w[g % 4];
      __m128i& eIn = (g % 2 == 1) ? e1 : e0;
      __m128i& eOut = (g % 2 == 1) ? e0 : e1;
      eIn = _mm_sha1nexte_epu32(eIn, cur);
      eOut = abcd;
      // Group g+1 = msg2(msg1(g-3, g-2) ^ (g-1), g); the msg1 and xor parts were done earlier.
      if (g >= 3 && g <= 18) w[(g + 1) % 4] = _mm_sha1msg2_epu32(w[(g + 1) % 4], cur);
      switch (g / 5) {
        case 0: abcd = _mm_sha1rnds4_epu32(abcd, eIn, 0); break;
        case 1: abcd = _mm_sha1rnds4_epu32(abcd, eIn, 1); break;
        case 2: abcd = _mm_sha1rnds4_epu32(abcd, eIn, 2); break;
        default: abcd = _mm_sha1rnds4_epu32(abcd, eIn, 3); break;
      }
      if (g >= 1 && g <= 16) w[(g + 3) % 4] = _mm_sha1msg1_epu32(w[(g + 3) % 4], cur);
      if (g >= 2 && g <= 17) w[(g + 2) % 4] = _mm_xor_si128(w[(g + 2) % 4], cur);
    }
    // After group 19 (odd), e0 holds A before it: its rotation plus the saved E is the new E.
    e0 = _mm_sha1nexte_epu32(e0, eSaved);
    abcd = _mm_add_epi32(abcd, abcdSaved);
  }
  _mm_storeu_si128(reinterpret_cast<__m128i*>(state), _mm_shuffle_epi32(abcd, 0x1B));
  state[4] = static_cast<std::uint32_t>(_mm_extract_epi32(e0, 3));
}

#else

bool shaExtensions() { return false; }
void sha1Blocks(std::uint32_t*, const std::uint8_t*, std::size_t) {}
void sha256Blocks(std::uint32_t*, const std::uint8_t*, std::size_t) {}

#endif

}  // namespace custos
