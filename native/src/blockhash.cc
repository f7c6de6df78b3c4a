// blockhash-core's bmvbhash (blockhash-js), block sums only: the same double arithmetic in the
// same order, so the sums (and the bits the TypeScript side derives from them) are identical.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels.h"

namespace custos {
namespace {

inline double pixelValue(const std::uint8_t* rgba, long i) {
  return rgba[i + 3] == 0 ? 765.0 : static_cast<double>(rgba[i]) + rgba[i + 1] + rgba[i + 2];
}

void evenBlocks(const std::uint8_t* rgba, int width, int height, int bits, double* out) {
  const int bx = width / bits;
  const int by = height / bits;
  for (int y = 0; y < bits; y++) {
    for (int x = 0; x < bits; x++) {
      double total = 0;
      for (int iy = 0; iy < by; iy++) {
        for (int ix = 0; ix < bx; ix++) {
          const long cx = static_cast<long>(x) * bx + ix;
          const long cy = static_cast<long>(y) * by + iy;
          total += pixelValue(rgba, (cy * width + cx) * 4);
        }
      }
      out[y * bits + x] = total;
    }
  }
}

}  // namespace

// Where a pixel of a row (or column) lands: its block(s) and weights. blockhash-core computes
// these per pixel with fmod and floor; they depend on x alone (or y alone), so they are
// computed once per column and per row here, with the same expressions, giving the same values.
struct Split {
  int first, second;
  double weightFirst, weightSecond;
};

Split splitOf(int i, int length, double blockSize, bool even) {
  if (even) {
    const int b = static_cast<int>(std::floor(i / blockSize));
    return {b, b, 1, 0};
  }
  const double mod = std::fmod(i + 1.0, blockSize);
  const double frac = mod - std::floor(mod);
  const double whole = mod - frac;
  if (whole > 0 || i + 1 == length) {
    const int b = static_cast<int>(std::floor(i / blockSize));
    return {b, b, 1 - frac, frac};
  }
  return {static_cast<int>(std::floor(i / blockSize)), static_cast<int>(std::ceil(i / blockSize)), 1 - frac, frac};
}

// Keeps the running sum of the block being filled in a register: consecutive pixels of a row
// mostly fall in the same block, and summing through memory would wait on every store. The
// additions into each block happen in exactly the same order as before.
class RowAccumulator {
 public:
  explicit RowAccumulator(double* blocks) : blocks_(blocks) {}
  void add(int block, double term) {
    if (block != current_) {
      flush();
      current_ = block;
      sum_ = blocks_[block];
    }
    sum_ += term;
  }
  void flush() {
    if (current_ >= 0) blocks_[current_] = sum_;
    current_ = -1;
  }

 private:
  double* blocks_;
  int current_ = -1;
  double sum_ = 0;
};

// When bits is a power of two (the 16 of a 256-bit hash), blockhash-core's double arithmetic is
// exact, so its order does not matter and integers give the same sums. A block edge falls at
// i * dimension / bits, so every fractional weight is a multiple of 1/bits; a term
// value * weightRow * weightColumn is then a multiple of 1/bits^2 below 766, and every partial
// sum a multiple of 1/bits^2 below 765 * width * height, far inside double's 53 bits. Summing
// in units of 1/bits^2 in 64-bit integers and dividing once at the end yields the very doubles
// the reference accumulates, and the rows can stream through with the other kernels.
bool blockhashExactInIntegers(int bits) { return bits > 0 && bits <= 256 && (bits & (bits - 1)) == 0; }

namespace {

struct IntSplit {
  int first, second;
  std::int64_t weightFirst, weightSecond;  // in units of 1/bits
};

IntSplit intSplitOf(int i, int length, double blockSize, bool even, int bits) {
  const Split s = splitOf(i, length, blockSize, even);
  return {s.first, s.second, static_cast<std::int64_t>(s.weightFirst * bits), static_cast<std::int64_t>(s.weightSecond * bits)};
}

inline std::int32_t pixelSum(const std::uint8_t* q) { return q[3] == 0 ? 765 : q[0] + q[1] + q[2]; }

// The same from a pixel read as one little-endian word: plain integer lane arithmetic that
// compilers vectorise.
inline std::int32_t pixelSumOfWord(std::uint32_t v) {
  const std::int32_t sum = static_cast<std::int32_t>((v & 0xffu) + ((v >> 8) & 0xffu) + ((v >> 16) & 0xffu));
  return (v >> 24) == 0 ? 765 : sum;
}

// Weighted sum of a run of pixels. A run is at most width / bits + 1 columns, so with weights up
// to bits (16) the 32-bit total cannot overflow below 175 000 px per run; wider images are
// summed in chunks of that many columns.
CUSTOS_AVX2_CLONE std::int64_t weightedRun(const std::uint8_t* line, const std::int32_t* weights, int from, int to) {
  const int kChunk = 1 << 16;
  std::int64_t total = 0;
  for (int start = from; start < to; start += kChunk) {
    const int end = std::min(to, start + kChunk);
    std::int32_t part = 0;
    for (int x = start; x < end; x++) {
      std::uint32_t v;
      std::memcpy(&v, line + static_cast<long>(x) * 4, 4);
      part += pixelSumOfWord(v) * weights[x];
    }
    total += part;
  }
  return total;
}

}  // namespace

BlockhashAccumulator::BlockhashAccumulator(int width, int height, int bits)
    : width_(width),
      height_(height),
      bits_(bits),
      blockHeight_(static_cast<double>(height) / bits),
      evenY_(height % bits == 0),
      weights_(width),
      runStart_(bits + 1, width),
      rowSums_(bits),
      blocks_(static_cast<size_t>(bits) * bits, 0) {
  const bool evenX = width % bits == 0;
  const double blockWidth = static_cast<double>(width) / bits;
  // Columns are in block order: each block's first-weight columns form one run; a column that
  // straddles an edge also gives its second weight to the next block.
  for (int x = width - 1; x >= 0; x--) {
    const IntSplit c = intSplitOf(x, width, blockWidth, evenX, bits);
    weights_[x] = static_cast<std::int32_t>(c.weightFirst);
    runStart_[c.first] = x;
    if (c.weightSecond != 0) straddles_.push_back({x, c.second, c.weightSecond});
  }
  for (int b = bits - 1; b >= 0; b--) runStart_[b] = std::min(runStart_[b], runStart_[b + 1]);
}

void BlockhashAccumulator::consume(const std::uint8_t* rgbaRows, int count) {
  for (int k = 0; k < count; k++, rowsSeen_++) {
    const std::uint8_t* line = rgbaRows + static_cast<long>(k) * width_ * 4;
    for (int b = 0; b < bits_; b++) rowSums_[b] = weightedRun(line, weights_.data(), runStart_[b], runStart_[b + 1]);
    for (const Straddle& s : straddles_) rowSums_[s.block] += pixelSum(line + static_cast<long>(s.column) * 4) * s.weight;
    const IntSplit row = intSplitOf(rowsSeen_, height_, blockHeight_, evenY_, bits_);
    std::int64_t* top = blocks_.data() + static_cast<long>(row.first) * bits_;
    std::int64_t* bottom = blocks_.data() + static_cast<long>(row.second) * bits_;
    for (int b = 0; b < bits_; b++) top[b] += rowSums_[b] * row.weightFirst;
    for (int b = 0; b < bits_; b++) bottom[b] += rowSums_[b] * row.weightSecond;
  }
}

void BlockhashAccumulator::finish(double* out) {
  const double unit = static_cast<double>(bits_) * bits_;
  for (size_t i = 0; i < blocks_.size(); i++) out[i] = static_cast<double>(blocks_[i]) / unit;
}

void blockhashBlocks(const std::uint8_t* rgba, int width, int height, int bits, double* out) {
  if (blockhashExactInIntegers(bits)) {
    BlockhashAccumulator blocks(width, height, bits);
    streamRows(rgba, width, height, 4, nullptr, &blocks, nullptr);
    blocks.finish(out);
    return;
  }
  if (width % bits == 0 && height % bits == 0) {
    evenBlocks(rgba, width, height, bits, out);
    return;
  }
  for (int i = 0; i < bits * bits; i++) out[i] = 0;
  const bool evenX = width % bits == 0;
  const bool evenY = height % bits == 0;
  const double blockWidth = static_cast<double>(width) / bits;
  const double blockHeight = static_cast<double>(height) / bits;
  std::vector<Split> columns(width);
  for (int x = 0; x < width; x++) columns[x] = splitOf(x, width, blockWidth, evenX);
  for (int y = 0; y < height; y++) {
    const Split row = splitOf(y, height, blockHeight, evenY);
    RowAccumulator topRow(out + row.first * bits);
    RowAccumulator bottomRow(out + row.second * bits);
    // A pixel inside one block row adds both of its row weights to that same row: one
    // accumulator then, so the two interleaved additions keep their order.
    RowAccumulator& top = topRow;
    RowAccumulator& bottom = row.second == row.first ? topRow : bottomRow;
    const std::uint8_t* line = rgba + static_cast<long>(y) * width * 4;
    for (int x = 0; x < width; x++) {
      const double value = pixelValue(line, static_cast<long>(x) * 4);
      const Split& c = columns[x];
      // blockhash-core's four additions, in its order. A term whose weight is 0 adds +0.0 to a
      // non-negative sum, which changes nothing, so it is skipped.
      const double t = value * row.weightFirst;
      top.add(c.first, t * c.weightFirst);
      if (c.weightSecond != 0) top.add(c.second, t * c.weightSecond);
      if (row.weightSecond != 0) {
        const double b = value * row.weightSecond;
        bottom.add(c.first, b * c.weightFirst);
        if (c.weightSecond != 0) bottom.add(c.second, b * c.weightSecond);
      }
    }
    top.flush();
    bottom.flush();
  }
}

}  // namespace custos
