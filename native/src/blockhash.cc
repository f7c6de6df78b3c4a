// blockhash-core's bmvbhash (blockhash-js), block sums only: the same double arithmetic in the
// same order, so the sums (and the bits the TypeScript side derives from them) are identical.
#include <cmath>
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

// Width divisible by bits, height not: every pixel belongs to one block column, so the chains of
// the bits block columns are independent. They are advanced side by side (pixel k of each block
// in turn) instead of block after block: each block still receives its additions in
// blockhash-core's order (row by row, left to right), but the additions of different blocks
// overlap instead of each waiting on the previous one.
void evenColumnBlocks(const std::uint8_t* rgba, int width, int height, int bits, double blockHeight, double* out) {
  const int blockWidth = width / bits;
  std::vector<double> top(bits), bottom(bits);
  for (int y = 0; y < height; y++) {
    const Split row = splitOf(y, height, blockHeight, false);
    const bool sameRow = row.second == row.first;
    double* topRow = out + row.first * bits;
    double* bottomRow = out + row.second * bits;
    for (int c = 0; c < bits; c++) top[c] = topRow[c];
    if (!sameRow)
      for (int c = 0; c < bits; c++) bottom[c] = bottomRow[c];
    const std::uint8_t* line = rgba + static_cast<long>(y) * width * 4;
    for (int k = 0; k < blockWidth; k++) {
      for (int c = 0; c < bits; c++) {
        const double value = pixelValue(line, (static_cast<long>(c) * blockWidth + k) * 4);
        // Weights of the column are 1 and 0 here: v * wRow * 1 is v * wRow exactly, and the
        // zero-weight terms add +0.0, which changes nothing.
        top[c] += value * row.weightFirst;
        if (row.weightSecond != 0) {
          if (sameRow) top[c] += value * row.weightSecond;
          else bottom[c] += value * row.weightSecond;
        }
      }
    }
    for (int c = 0; c < bits; c++) topRow[c] = top[c];
    if (!sameRow)
      for (int c = 0; c < bits; c++) bottomRow[c] = bottom[c];
  }
}

void blockhashBlocks(const std::uint8_t* rgba, int width, int height, int bits, double* out) {
  const bool evenX = width % bits == 0;
  const bool evenY = height % bits == 0;
  if (evenX && evenY) {
    evenBlocks(rgba, width, height, bits, out);
    return;
  }
  for (int i = 0; i < bits * bits; i++) out[i] = 0;
  const double blockWidth = static_cast<double>(width) / bits;
  const double blockHeight = static_cast<double>(height) / bits;
  if (evenX) {
    evenColumnBlocks(rgba, width, height, bits, blockHeight, out);
    return;
  }
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
