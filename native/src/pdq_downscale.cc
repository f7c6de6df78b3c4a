// PDQ downscaling (Meta ThreatExchange pdq/cpp/downscaling/downscaling.cpp): float luma, a box
// filter along rows then columns, twice, then sampling at the centres of a 64x64 grid. Every
// float operation happens in the reference's order, so the rounding is the reference's; built
// with -ffp-contract=off so no multiply-add is fused behind our back.
//
// The reference filters whole planes, one pass after another. Here the rows stream through:
// each band of rows gets its first row pass at once, the column pass advances one row per input
// row (keeping only the rows its window still needs), and each row it emits gets the second row
// pass at once. Every value sees the same operations in the same order as in the plane-by-plane
// form; only the order in which independent values are computed changes.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "kernels.h"

namespace custos {
namespace {

const float kLumaR = 0.299f;
const float kLumaG = 0.587f;
const float kLumaB = 0.114f;

int jaroszWindowSize(int dimension) { return (dimension + 2 * 64 - 1) / (2 * 64); }

// The reference's box1DFloat: a running float sum with shrunken windows at both ends, in four
// phases: accumulate without writing, write while the window grows, slide, write while it shrinks.
struct Phases {
  int grow, growWrite, slide, shrink;
};

Phases boxPhases(int length, int window) {
  const int half = (window + 2) / 2;
  return {half - 1, window - half + 1, length - window, half - 1};
}

// Centres of a 64-cell grid, computed in double as in the reference.
int decimationIndex(int cell, int length) { return static_cast<int>(std::floor(((cell + 0.5) * length) / 64)); }

// Rows are independent serial chains of float roundings; eight side by side keep the
// floating-point units busy instead of waiting on each addition's latency. `row(k)` is row k's
// input. The running sums are stored undivided: the division by the window's count is done
// afterwards over contiguous memory, where it vectorises, and is the same correctly rounded
// IEEE division either way.
template <int N, class Row>
void sumRows(Row row, float* sums, int cols, const Phases& p) {
  const float* in[N];
  for (int k = 0; k < N; k++) in[k] = row(k);
  float s[N] = {};
  int li = 0, ri = 0, oi = 0;
  for (int i = 0; i < p.grow; i++, ri++) {
    for (int k = 0; k < N; k++) s[k] = s[k] + in[k][ri];
  }
  for (int i = 0; i < p.growWrite; i++, ri++, oi++) {
    for (int k = 0; k < N; k++) {
      s[k] = s[k] + in[k][ri];
      sums[k * cols + oi] = s[k];
    }
  }
  for (int i = 0; i < p.slide; i++, ri++, li++, oi++) {
    for (int k = 0; k < N; k++) {
      s[k] = (s[k] + in[k][ri]) - in[k][li];
      sums[k * cols + oi] = s[k];
    }
  }
  for (int i = 0; i < p.shrink; i++, li++, oi++) {
    for (int k = 0; k < N; k++) {
      s[k] = s[k] - in[k][li];
      sums[k * cols + oi] = s[k];
    }
  }
}

// The number of inputs under the window at each output position, as the reference's running
// count has it when it divides.
void windowCounts(int length, const Phases& p, std::vector<float>& counts) {
  counts.resize(length);
  int count = p.grow, oi = 0;
  for (int i = 0; i < p.growWrite; i++) counts[oi++] = static_cast<float>(++count);
  for (int i = 0; i < p.slide; i++) counts[oi++] = static_cast<float>(count);
  for (int i = 0; i < p.shrink; i++) counts[oi++] = static_cast<float>(--count);
}

// (R + G) is rounded to float before B is added, as in the reference's expression.
inline float lumaAt(const std::uint8_t* q) {
  return (kLumaR * static_cast<float>(q[0]) + kLumaG * static_cast<float>(q[1])) + kLumaB * static_cast<float>(q[2]);
}

template <int C>
void fillLuma(const std::uint8_t* data, long pixels, float* luma) {
  for (long p = 0; p < pixels; p++) luma[p] = lumaAt(data + p * C);
}

// RGBA pixels read as one little-endian word each (every platform Custos ships on), so the
// loop is plain integer and float arithmetic on whole lanes, which compilers vectorise; the
// products and sums are the same float operations as lumaAt's, in the same order.
CUSTOS_AVX2_CLONE void fillLumaRgba(const std::uint8_t* data, long pixels, float* luma) {
  for (long p = 0; p < pixels; p++) {
    std::uint32_t v;
    std::memcpy(&v, data + p * 4, 4);
    const float r = static_cast<float>(static_cast<std::int32_t>(v & 0xffu));
    const float g = static_cast<float>(static_cast<std::int32_t>((v >> 8) & 0xffu));
    const float b = static_cast<float>(static_cast<std::int32_t>((v >> 16) & 0xffu));
    luma[p] = (kLumaR * r + kLumaG * g) + kLumaB * b;
  }
}

template <>
void fillLuma<4>(const std::uint8_t* data, long pixels, float* luma) {
  fillLumaRgba(data, pixels, luma);
}

CUSTOS_AVX2_CLONE void divideRow(float* row, int cols, const float* counts) {
  for (int i = 0; i < cols; i++) row[i] = row[i] / counts[i];
}

// The column pass's steps over one row, in the reference's order: the window growing (no
// output, then output), sliding, and shrinking.
CUSTOS_AVX2_CLONE void columnsAdd(float* s, const float* in, int w) {
  for (int j = 0; j < w; j++) s[j] = s[j] + in[j];
}

CUSTOS_AVX2_CLONE void columnsAddOut(float* s, const float* in, float* out, float c, int w) {
  for (int j = 0; j < w; j++) {
    s[j] = s[j] + in[j];
    out[j] = s[j] / c;
  }
}

CUSTOS_AVX2_CLONE void columnsSlideOut(float* s, const float* in, const float* old, float* out, float c, int w) {
  for (int j = 0; j < w; j++) {
    s[j] = (s[j] + in[j]) - old[j];
    out[j] = s[j] / c;
  }
}

CUSTOS_AVX2_CLONE void columnsShrinkOut(float* s, const float* old, float* out, float c, int w) {
  for (int j = 0; j < w; j++) {
    s[j] = s[j] - old[j];
    out[j] = s[j] / c;
  }
}

// The same filter down the columns of a whole plane, a row at a time (contiguous, so it
// vectorises): used for the last column pass, on the 64 sampled columns only.
void boxAlongCols(const float* in, float* out, int rows, int cols, int window) {
  const Phases p = boxPhases(rows, window);
  std::vector<float> sums(cols, 0.0f);
  float* s = sums.data();
  long li = 0, ri = 0, oi = 0;
  int count = 0;
  for (int i = 0; i < p.grow; i++, ri += cols) {
    count++;
    for (int j = 0; j < cols; j++) s[j] = s[j] + in[ri + j];
  }
  for (int i = 0; i < p.growWrite; i++, ri += cols, oi += cols) {
    count++;
    const float c = static_cast<float>(count);
    for (int j = 0; j < cols; j++) {
      s[j] = s[j] + in[ri + j];
      out[oi + j] = s[j] / c;
    }
  }
  const float c = static_cast<float>(count);
  for (int i = 0; i < p.slide; i++, ri += cols, li += cols, oi += cols) {
    for (int j = 0; j < cols; j++) {
      s[j] = (s[j] + in[ri + j]) - in[li + j];
      out[oi + j] = s[j] / c;
    }
  }
  for (int i = 0; i < p.shrink; i++, li += cols, oi += cols) {
    count--;
    const float cs = static_cast<float>(count);
    for (int j = 0; j < cols; j++) {
      s[j] = s[j] - in[li + j];
      out[oi + j] = s[j] / cs;
    }
  }
}

void decimate(const float* in, int rows, int cols, float* out) {
  for (int i = 0; i < 64; i++) {
    const long row = static_cast<long>(decimationIndex(i, rows)) * cols;
    for (int j = 0; j < 64; j++) out[i * 64 + j] = in[row + decimationIndex(j, cols)];
  }
}

const int kBlock = 8;

}  // namespace

PdqDownscaler::PdqDownscaler(int width, int height, int channels, bool blur)
    : width_(width), height_(height), channels_(channels), blur_(blur), rowWindow_(jaroszWindowSize(width)), colWindow_(jaroszWindowSize(height)) {
  for (int j = 0; j < 64; j++) columns_[j] = decimationIndex(j, width);
  if (!blur) {
    unblurred_.assign(64 * 64, 0.0f);
    return;
  }
  windowCounts(width, boxPhases(width, rowWindow_), rowCounts_);
  colSums_.assign(width, 0.0f);
  // The column pass reads its input row ri and the row `window` above it; a block of rows is
  // written before the steps that read it, so the ring holds the window plus one block, in a
  // multiple of the block size so a block never wraps.
  ringRows_ = ((colWindow_ + kBlock + kBlock - 1) / kBlock) * kBlock + kBlock;
  ring_.resize(static_cast<long>(ringRows_) * width);
  luma_.resize(static_cast<long>(kBlock) * width);
  rowSums_.resize(static_cast<long>(kBlock) * width);
  colOut_.resize(static_cast<long>(kBlock) * width);
  sampled_.resize(static_cast<long>(height) * 64);
}

void PdqDownscaler::consume(const std::uint8_t* rows, int count) {
  const long stride = static_cast<long>(width_) * channels_;
  if (!blur_) {
    // No filter: only the 64x64 sample points are ever read.
    for (int k = 0; k < count; k++) {
      const int y = rowsSeen_ + k;
      for (int i = 0; i < 64; i++) {
        if (decimationIndex(i, height_) != y) continue;
        for (int j = 0; j < 64; j++) unblurred_[i * 64 + j] = lumaAt(rows + k * stride + static_cast<long>(columns_[j]) * channels_);
      }
    }
    rowsSeen_ += count;
    return;
  }
  while (count > 0) {
    const int n = (rowsSeen_ % kBlock == 0 && count >= kBlock) ? kBlock : 1;
    sumRowBlock(rows, n);
    for (int k = 0; k < n; k++) columnStep(rowsSeen_ + k);
    rowsSeen_ += n;
    rows += n * stride;
    count -= n;
  }
}

// The first row pass over n rows (eight, or one): luma into a small buffer, running sums into
// the ring, then the division.
void PdqDownscaler::sumRowBlock(const std::uint8_t* rows, int n) {
  if (channels_ == 4) fillLuma<4>(rows, static_cast<long>(n) * width_, luma_.data());
  else fillLuma<3>(rows, static_cast<long>(n) * width_, luma_.data());
  const Phases p = boxPhases(width_, rowWindow_);
  const float* luma = luma_.data();
  const int w = width_;
  float* first = ringRow(rowsSeen_);
  if (n == kBlock) sumRows<kBlock>([luma, w](int k) { return luma + static_cast<long>(k) * w; }, first, w, p);
  else sumRows<1>([luma](int) { return luma; }, first, w, p);
  for (int k = 0; k < n; k++) divideRow(first + static_cast<long>(k) * w, w, rowCounts_.data());
}

// One step of the column pass: the step the reference's running sum takes on input row ri.
void PdqDownscaler::columnStep(int ri) {
  const Phases p = boxPhases(height_, colWindow_);
  const float* in = ringRow(ri);
  float* s = colSums_.data();
  const int w = width_;
  if (colStep_ < p.grow) {
    colCount_++;
    columnsAdd(s, in, w);
  } else if (colStep_ < p.grow + p.growWrite) {
    colCount_++;
    columnsAddOut(s, in, colOut_.data() + static_cast<long>(colOutRows_) * w, static_cast<float>(colCount_), w);
    emitColumnRow(colStep_ - p.grow);
  } else {
    const float* old = ringRow(colStep_ - (p.grow + p.growWrite));
    columnsSlideOut(s, in, old, colOut_.data() + static_cast<long>(colOutRows_) * w, static_cast<float>(colCount_), w);
    emitColumnRow(colStep_ - p.grow);
  }
  colStep_++;
}

// A row of the column pass is complete in colOut_: collect eight, then run the second row pass.
void PdqDownscaler::emitColumnRow(int outputRow) {
  if (colOutRows_ == 0) colOutFirst_ = outputRow;
  colOutRows_++;
  if (colOutRows_ == kBlock) {
    rowPassSampled(colOutFirst_, kBlock);
    colOutRows_ = 0;
  }
}

// The second row pass is only ever read at the 64 decimation columns (the last column pass
// filters columns independently), so only those are divided, straight into sampled_.
void PdqDownscaler::rowPassSampled(int firstRow, int n) {
  const Phases p = boxPhases(width_, rowWindow_);
  const float* rows = colOut_.data();
  const int w = width_;
  if (n == kBlock) {
    sumRows<kBlock>([rows, w](int k) { return rows + static_cast<long>(k) * w; }, rowSums_.data(), w, p);
  } else {
    for (int k = 0; k < n; k++) {
      const float* row = rows + static_cast<long>(k) * w;
      sumRows<1>([row](int) { return row; }, rowSums_.data() + static_cast<long>(k) * w, w, p);
    }
  }
  for (int k = 0; k < n; k++) {
    const float* sums = rowSums_.data() + static_cast<long>(k) * w;
    float* sampled = sampled_.data() + static_cast<long>(firstRow + k) * 64;
    for (int j = 0; j < 64; j++) sampled[j] = sums[columns_[j]] / rowCounts_[columns_[j]];
  }
}

void PdqDownscaler::finish(float* out64x64) {
  if (!blur_) {
    std::copy(unblurred_.begin(), unblurred_.end(), out64x64);
    return;
  }
  // The column pass's last steps: the window shrinks over the bottom rows.
  const Phases p = boxPhases(height_, colWindow_);
  const int w = width_;
  float* s = colSums_.data();
  for (int i = 0; i < p.shrink; i++) {
    colCount_--;
    columnsShrinkOut(s, ringRow(height_ - colWindow_ + i), colOut_.data() + static_cast<long>(colOutRows_) * w, static_cast<float>(colCount_), w);
    emitColumnRow(height_ - p.shrink + i);
  }
  if (colOutRows_ > 0) rowPassSampled(colOutFirst_, colOutRows_);
  colOutRows_ = 0;
  std::vector<float> blurred(static_cast<long>(height_) * 64);
  boxAlongCols(sampled_.data(), blurred.data(), height_, 64, colWindow_);
  decimate(blurred.data(), height_, 64, out64x64);
}

}  // namespace custos
