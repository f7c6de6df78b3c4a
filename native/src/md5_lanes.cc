// RFC 1321 compression, vectorised across streams. Each vector lane holds one stream's state;
// a block's 16 message words are transposed so that word j of every lane's block sits in one
// register. Lanes whose streams have ended or that have no stream read a zero block and are
// never written back.
#include "md5_lanes.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CUSTOS_MD5_X86 1
// GCC 12's AVX-512 intrinsics start from _mm512_undefined_epi32() and warn about it at -O3.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace custos {
namespace {

constexpr std::uint32_t K[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1,
    0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453,
    0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942,
    0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
    0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d,
    0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
constexpr int S[64] = {7,  12, 17, 22, 7,  12, 17, 22, 7,  12, 17, 22, 7,  12, 17, 22, 5,  9,  14, 20, 5,  9,
                       14, 20, 5,  9,  14, 20, 5,  9,  14, 20, 4,  11, 16, 23, 4,  11, 16, 23, 4,  11, 16, 23,
                       4,  11, 16, 23, 6,  10, 15, 21, 6,  10, 15, 21, 6,  10, 15, 21, 6,  10, 15, 21};

constexpr int messageIndex(int i) {
  return i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16;
}

inline std::uint32_t rotl(std::uint32_t x, int s) { return (x << s) | (x >> (32 - s)); }

inline std::uint32_t loadLe(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 | static_cast<std::uint32_t>(p[2]) << 16 |
         static_cast<std::uint32_t>(p[3]) << 24;
}

void compressScalar(std::uint32_t* state, const std::uint8_t* data, std::size_t blocks) {
  std::uint32_t a0 = state[0], b0 = state[1], c0 = state[2], d0 = state[3];
  for (std::size_t blk = 0; blk < blocks; blk++, data += 64) {
    std::uint32_t m[16];
    for (int j = 0; j < 16; j++) m[j] = loadLe(data + 4 * j);
    std::uint32_t a = a0, b = b0, c = c0, d = d0;
    for (int i = 0; i < 64; i++) {
      std::uint32_t f;
      if (i < 16) f = (b & c) | (~b & d);
      else if (i < 32) f = (d & b) | (~d & c);
      else if (i < 48) f = b ^ c ^ d;
      else f = c ^ (b | ~d);
      const std::uint32_t t = d;
      d = c;
      c = b;
      b = b + rotl(a + f + K[i] + m[messageIndex(i)], S[i]);
      a = t;
    }
    a0 += a;
    b0 += b;
    c0 += c;
    d0 += d;
  }
  state[0] = a0;
  state[1] = b0;
  state[2] = c0;
  state[3] = d0;
}

// Lane bookkeeping shared by the vector paths: assigns streams to free lanes, runs the kernel
// for as many blocks as every busy lane still has, and retires finished streams.
template <int Lanes, typename Kernel>
void schedule(Md5Stream* streams, std::size_t count, Kernel kernel) {
  alignas(64) static const std::uint8_t zeros[64] = {};
  alignas(64) std::uint32_t soa[4][Lanes];
  const std::uint8_t* ptr[Lanes];
  std::size_t stride[Lanes], left[Lanes];
  long owner[Lanes];
  for (int l = 0; l < Lanes; l++) {
    owner[l] = -1;
    ptr[l] = zeros;
    stride[l] = 0;
    left[l] = 0;
    for (int w = 0; w < 4; w++) soa[w][l] = 0;
  }
  std::size_t next = 0;
  for (;;) {
    int busy = 0;
    for (int l = 0; l < Lanes; l++) {
      while (owner[l] < 0 && next < count) {
        Md5Stream& s = streams[next];
        if (s.blocks > 0) {
          owner[l] = static_cast<long>(next);
          ptr[l] = s.data;
          stride[l] = 64;
          left[l] = s.blocks;
          for (int w = 0; w < 4; w++) soa[w][l] = s.state[w];
        }
        next++;
      }
      if (owner[l] >= 0) busy++;
    }
    if (busy == 0) return;
    if (busy == 1 && next >= count) {
      // One stream left: the scalar chain is as fast and leaves the vector unit alone.
      for (int l = 0; l < Lanes; l++) {
        if (owner[l] < 0) continue;
        std::uint32_t st[4] = {soa[0][l], soa[1][l], soa[2][l], soa[3][l]};
        compressScalar(st, ptr[l], left[l]);
        std::memcpy(streams[owner[l]].state, st, sizeof st);
      }
      return;
    }
    std::size_t run = SIZE_MAX;
    for (int l = 0; l < Lanes; l++) if (owner[l] >= 0) run = std::min(run, left[l]);
    kernel(soa, ptr, stride, run);
    for (int l = 0; l < Lanes; l++) {
      if (owner[l] < 0) continue;
      ptr[l] += run * stride[l];
      left[l] -= run;
      if (left[l] == 0) {
        for (int w = 0; w < 4; w++) streams[owner[l]].state[w] = soa[w][l];
        owner[l] = -1;
        ptr[l] = zeros;
        stride[l] = 0;
      }
    }
  }
}

#ifdef CUSTOS_MD5_X86

// The step is written once for both widths; V supplies the vector type and operations.
template <typename V>
__attribute__((always_inline)) inline void compressLanes(typename V::Reg (&st)[4], const typename V::Reg (&m)[16]) {
  using Reg = typename V::Reg;
  Reg a = st[0], b = st[1], c = st[2], d = st[3];
#define CUSTOS_MD5_STEP(i, fn)                                                                        \
  {                                                                                                   \
    const Reg f = fn;                                                                                 \
    const Reg sum = V::add(V::add(a, f), V::add(V::set1(K[i]), m[messageIndex(i)]));                 \
    const Reg t = d;                                                                                  \
    d = c;                                                                                            \
    c = b;                                                                                            \
    b = V::add(b, V::template rotl<S[i]>(sum));                                                       \
    a = t;                                                                                            \
  }
#define CUSTOS_MD5_4(i, fn) CUSTOS_MD5_STEP(i, fn) CUSTOS_MD5_STEP(i + 1, fn) CUSTOS_MD5_STEP(i + 2, fn) CUSTOS_MD5_STEP(i + 3, fn)
  CUSTOS_MD5_4(0, V::f(b, c, d)) CUSTOS_MD5_4(4, V::f(b, c, d)) CUSTOS_MD5_4(8, V::f(b, c, d)) CUSTOS_MD5_4(12, V::f(b, c, d))
  CUSTOS_MD5_4(16, V::g(b, c, d)) CUSTOS_MD5_4(20, V::g(b, c, d)) CUSTOS_MD5_4(24, V::g(b, c, d)) CUSTOS_MD5_4(28, V::g(b, c, d))
  CUSTOS_MD5_4(32, V::h(b, c, d)) CUSTOS_MD5_4(36, V::h(b, c, d)) CUSTOS_MD5_4(40, V::h(b, c, d)) CUSTOS_MD5_4(44, V::h(b, c, d))
  CUSTOS_MD5_4(48, V::i(b, c, d)) CUSTOS_MD5_4(52, V::i(b, c, d)) CUSTOS_MD5_4(56, V::i(b, c, d)) CUSTOS_MD5_4(60, V::i(b, c, d))
#undef CUSTOS_MD5_4
#undef CUSTOS_MD5_STEP
  st[0] = V::add(st[0], a);
  st[1] = V::add(st[1], b);
  st[2] = V::add(st[2], c);
  st[3] = V::add(st[3], d);
}

#define CUSTOS_AVX512 __attribute__((target("avx512f")))
#define CUSTOS_AVX2 __attribute__((target("avx2")))

struct Avx512 {
  using Reg = __m512i;
  CUSTOS_AVX512 static Reg add(Reg x, Reg y) { return _mm512_add_epi32(x, y); }
  CUSTOS_AVX512 static Reg set1(std::uint32_t v) { return _mm512_set1_epi32(static_cast<int>(v)); }
  template <int s>
  CUSTOS_AVX512 static Reg rotl(Reg x) { return _mm512_rol_epi32(x, s); }
  // Truth tables for vpternlogd (operand bits a=4, b=2, c=1): 0xCA is "x ? y : z", 0x96 is
  // x ^ y ^ z, 0x39 is y ^ (x | ~z).
  CUSTOS_AVX512 static Reg f(Reg b, Reg c, Reg d) { return _mm512_ternarylogic_epi32(b, c, d, 0xCA); }
  CUSTOS_AVX512 static Reg g(Reg b, Reg c, Reg d) { return _mm512_ternarylogic_epi32(d, b, c, 0xCA); }
  CUSTOS_AVX512 static Reg h(Reg b, Reg c, Reg d) { return _mm512_ternarylogic_epi32(b, c, d, 0x96); }
  CUSTOS_AVX512 static Reg i(Reg b, Reg c, Reg d) { return _mm512_ternarylogic_epi32(b, c, d, 0x39); }
};

struct Avx2 {
  using Reg = __m256i;
  CUSTOS_AVX2 static Reg add(Reg x, Reg y) { return _mm256_add_epi32(x, y); }
  CUSTOS_AVX2 static Reg set1(std::uint32_t v) { return _mm256_set1_epi32(static_cast<int>(v)); }
  template <int s>
  CUSTOS_AVX2 static Reg rotl(Reg x) { return _mm256_or_si256(_mm256_slli_epi32(x, s), _mm256_srli_epi32(x, 32 - s)); }
  CUSTOS_AVX2 static Reg f(Reg b, Reg c, Reg d) { return _mm256_or_si256(_mm256_and_si256(b, c), _mm256_andnot_si256(b, d)); }
  CUSTOS_AVX2 static Reg g(Reg b, Reg c, Reg d) { return _mm256_or_si256(_mm256_and_si256(d, b), _mm256_andnot_si256(d, c)); }
  CUSTOS_AVX2 static Reg h(Reg b, Reg c, Reg d) { return _mm256_xor_si256(_mm256_xor_si256(b, c), d); }
  CUSTOS_AVX2 static Reg i(Reg b, Reg c, Reg d) {
    return _mm256_xor_si256(c, _mm256_or_si256(b, _mm256_xor_si256(d, _mm256_set1_epi32(-1))));
  }
};

// Word j of every lane's block into m[j]: a 16x16 transpose of 32-bit words.
CUSTOS_AVX512 inline void transpose16(const std::uint8_t* const* rows, __m512i (&m)[16]) {
  __m512i r[16], t[16];
  for (int l = 0; l < 16; l++) r[l] = _mm512_loadu_si512(rows[l]);
  for (int g = 0; g < 16; g += 2) {
    t[g] = _mm512_unpacklo_epi32(r[g], r[g + 1]);
    t[g + 1] = _mm512_unpackhi_epi32(r[g], r[g + 1]);
  }
  // Per group of four rows and each 128-bit quarter k: u[4q + w] holds word 4k + w of rows 4q..4q+3.
  __m512i u[16];
  for (int q = 0; q < 4; q++) {
    const __m512i* tq = t + 4 * q;
    u[4 * q + 0] = _mm512_unpacklo_epi64(tq[0], tq[2]);
    u[4 * q + 1] = _mm512_unpackhi_epi64(tq[0], tq[2]);
    u[4 * q + 2] = _mm512_unpacklo_epi64(tq[1], tq[3]);
    u[4 * q + 3] = _mm512_unpackhi_epi64(tq[1], tq[3]);
  }
  for (int w = 0; w < 4; w++) {
    const __m512i lo01 = _mm512_shuffle_i32x4(u[w], u[4 + w], 0x44);  // quarters 0,1 of groups 0 and 1
    const __m512i hi01 = _mm512_shuffle_i32x4(u[w], u[4 + w], 0xEE);  // quarters 2,3
    const __m512i lo23 = _mm512_shuffle_i32x4(u[8 + w], u[12 + w], 0x44);
    const __m512i hi23 = _mm512_shuffle_i32x4(u[8 + w], u[12 + w], 0xEE);
    m[0 + w] = _mm512_shuffle_i32x4(lo01, lo23, 0x88);
    m[4 + w] = _mm512_shuffle_i32x4(lo01, lo23, 0xDD);
    m[8 + w] = _mm512_shuffle_i32x4(hi01, hi23, 0x88);
    m[12 + w] = _mm512_shuffle_i32x4(hi01, hi23, 0xDD);
  }
}

// Eight words (32 bytes at offset) of each of 8 lanes into m[0..7].
CUSTOS_AVX2 inline void transpose8(const std::uint8_t* const* rows, int offset, __m256i* m) {
  __m256i r[8], t[8], u[8];
  for (int l = 0; l < 8; l++) r[l] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(rows[l] + offset));
  for (int g = 0; g < 8; g += 2) {
    t[g] = _mm256_unpacklo_epi32(r[g], r[g + 1]);
    t[g + 1] = _mm256_unpackhi_epi32(r[g], r[g + 1]);
  }
  for (int q = 0; q < 2; q++) {
    const __m256i* tq = t + 4 * q;
    u[4 * q + 0] = _mm256_unpacklo_epi64(tq[0], tq[2]);
    u[4 * q + 1] = _mm256_unpackhi_epi64(tq[0], tq[2]);
    u[4 * q + 2] = _mm256_unpacklo_epi64(tq[1], tq[3]);
    u[4 * q + 3] = _mm256_unpackhi_epi64(tq[1], tq[3]);
  }
  for (int w = 0; w < 4; w++) {
    m[w] = _mm256_permute2x128_si256(u[w], u[4 + w], 0x20);
    m[4 + w] = _mm256_permute2x128_si256(u[w], u[4 + w], 0x31);
  }
}

CUSTOS_AVX512 void kernel16(std::uint32_t (&soa)[4][16], const std::uint8_t* (&ptr)[16], const std::size_t (&stride)[16], std::size_t blocks) {
  __m512i st[4];
  for (int w = 0; w < 4; w++) st[w] = _mm512_load_si512(soa[w]);
  const std::uint8_t* rows[16];
  for (int l = 0; l < 16; l++) rows[l] = ptr[l];
  for (std::size_t blk = 0; blk < blocks; blk++) {
    __m512i m[16];
    transpose16(rows, m);
    compressLanes<Avx512>(st, m);
    for (int l = 0; l < 16; l++) rows[l] += stride[l];
  }
  for (int w = 0; w < 4; w++) _mm512_store_si512(soa[w], st[w]);
}

CUSTOS_AVX2 void kernel8(std::uint32_t (&soa)[4][8], const std::uint8_t* (&ptr)[8], const std::size_t (&stride)[8], std::size_t blocks) {
  __m256i st[4];
  for (int w = 0; w < 4; w++) st[w] = _mm256_load_si256(reinterpret_cast<const __m256i*>(soa[w]));
  const std::uint8_t* rows[8];
  for (int l = 0; l < 8; l++) rows[l] = ptr[l];
  for (std::size_t blk = 0; blk < blocks; blk++) {
    __m256i m[16];
    transpose8(rows, 0, m);
    transpose8(rows, 32, m + 8);
    compressLanes<Avx2>(st, m);
    for (int l = 0; l < 8; l++) rows[l] += stride[l];
  }
  for (int w = 0; w < 4; w++) _mm256_store_si256(reinterpret_cast<__m256i*>(soa[w]), st[w]);
}

int hardwareLanes() {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return 16;
  if (__builtin_cpu_supports("avx2")) return 8;
  return 1;
}

#else

int hardwareLanes() { return 1; }

#endif

// CUSTOS_MD5_LANES may lower the width (tests run every path on one machine), never raise it.
int detectLanes() {
  int lanes = hardwareLanes();
  if (const char* wanted = std::getenv("CUSTOS_MD5_LANES")) {
    const int w = std::atoi(wanted);
    if (w == 1 || w == 8 || w == 16) lanes = std::min(lanes, w);
  }
  return lanes;
}

}  // namespace

int md5Lanes() {
  static const int lanes = detectLanes();
  return lanes;
}

void md5Blocks(Md5Stream* streams, std::size_t count) {
  switch (md5Lanes()) {
#ifdef CUSTOS_MD5_X86
    case 16:
      schedule<16>(streams, count, kernel16);
      return;
    case 8:
      schedule<8>(streams, count, kernel8);
      return;
#endif
    default:
      for (std::size_t s = 0; s < count; s++) compressScalar(streams[s].state, streams[s].data, streams[s].blocks);
  }
}

}  // namespace custos
