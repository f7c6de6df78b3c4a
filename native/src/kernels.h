// Custos native kernels: the per-pixel loops of PDQ and blockhash, whose arithmetic must match
// the references bit for bit (see the TypeScript versions in electron/analysis/, which these
// mirror operation for operation and are tested against), and the thumbnail's box shrink.
//
// Each kernel is a stream: it is fed the image's rows top to bottom in bands, then finished.
// That lets one pass over a decoded image feed all three while a band is still in cache: a
// 12 MP image is 48 MB of RGBA, and reading it from memory once instead of three times (plus
// PDQ's full-size float planes) is most of what the kernels cost.
#pragma once

#include <cstdint>
#include <vector>

// The innermost loops get an AVX2 clone, picked when the addon loads on a CPU that has it (GCC
// and Clang on x86-64 Linux, through ifunc; other builds run the portable loop). Each element
// sees the same operations in the same order at any vector width, so the results are the same
// bit for bit; what AVX2 adds is twice the width and, for blockhash, a 32-bit multiply.
#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
#define CUSTOS_AVX2_CLONE __attribute__((target_clones("avx2", "default")))
#else
#define CUSTOS_AVX2_CLONE
#endif

namespace custos {

// Luma, two Jarosz box-filter passes (or none when blur is false), decimation to 64x64.
class PdqDownscaler {
 public:
  PdqDownscaler(int width, int height, int channels, bool blur);
  // The next `count` rows (width * channels bytes each), in order.
  void consume(const std::uint8_t* rows, int count);
  void finish(float* out64x64);

 private:
  void sumRowBlock(const std::uint8_t* rows, int count);
  void columnStep(int inputRow);
  void emitColumnRow(int outputRow);
  void rowPassSampled(int firstRow, int count);
  float* ringRow(int row) { return ring_.data() + static_cast<long>(row % ringRows_) * width_; }

  int width_, height_, channels_;
  bool blur_;
  int rowWindow_, colWindow_;
  int rowsSeen_ = 0;
  // Column filter state: one running sum per column; the input rows it still needs (the
  // first row pass's output) live in a ring of ringRows_ rows.
  std::vector<float> rowCounts_, colSums_, ring_, luma_, rowSums_, colOut_, sampled_;
  int ringRows_ = 0, colCount_ = 0, colStep_ = 0, colOutRows_ = 0, colOutFirst_ = 0;
  int columns_[64];
  float* out_ = nullptr;
  std::vector<float> unblurred_;
};

// blockhash-core's bmvbhash block sums (bits x bits, row-major) for RGBA pixels, for a bits
// that is a power of two (where the sums are exact, see blockhash.cc).
class BlockhashAccumulator {
 public:
  BlockhashAccumulator(int width, int height, int bits);
  void consume(const std::uint8_t* rgbaRows, int count);
  void finish(double* out);

 private:
  int width_, height_, bits_, rowsSeen_ = 0;
  double blockHeight_;
  bool evenY_;
  std::vector<std::int32_t> weights_;
  std::vector<int> runStart_;
  struct Straddle {
    int column, block;
    std::int64_t weight;
  };
  std::vector<Straddle> straddles_;
  std::vector<std::int64_t> rowSums_, blocks_;
};

bool blockhashExactInIntegers(int bits);

// blockhash block sums for any bits, by the double-arithmetic route when bits is not a power of two.
void blockhashBlocks(const std::uint8_t* rgba, int width, int height, int bits, double* out);

// Averages factor x factor blocks of 8-bit pixels (channels interleaved), rounding to nearest:
// a cheap first step down to a thumbnail, so the resampler sees a small image.
class BoxShrinker {
 public:
  BoxShrinker(int width, int height, int channels, int factor, std::uint8_t* out);
  void consume(const std::uint8_t* rows, int count);

 private:
  void emitRow();
  int width_, height_, channels_, factor_, rowsSeen_ = 0, outRow_ = 0;
  std::vector<std::uint32_t> columns_;
  std::uint8_t* out_;
};

// Area averaging to any smaller size (the thumbnail's last step, on an already small image).
void areaResize(const std::uint8_t* data, int width, int height, int channels, int outWidth, int outHeight, std::uint8_t* out);

// Feeds each kernel that is not null the image's rows, in bands that stay in cache.
void streamRows(const std::uint8_t* data, int width, int height, int channels, PdqDownscaler* pdq, BlockhashAccumulator* blockhash,
                BoxShrinker* shrink);

}  // namespace custos
