// PDQ downscaling (Meta ThreatExchange pdq/cpp/downscaling/downscaling.cpp): float luma, a box
// filter along rows then columns, twice, then sampling at the centres of a 64x64 grid. Every
// float operation happens in the reference's order, so the rounding is the reference's; built
// with -ffp-contract=off so no multiply-add is fused behind our back.
#include <cmath>
#include <memory>
#include <vector>

#include "kernels.h"

namespace custos {
namespace {

const float kLumaR = 0.299f;
const float kLumaG = 0.587f;
const float kLumaB = 0.114f;

int jaroszWindowSize(int dimension) { return (dimension + 2 * 64 - 1) / (2 * 64); }

struct Phases {
  int grow, growWrite, slide, shrink;
};

Phases boxPhases(int length, int window) {
  const int half = (window + 2) / 2;
  return {half - 1, window - half + 1, length - window, half - 1};
}

// Rows are independent serial chains of float roundings; eight side by side keep the
// floating-point units busy instead of waiting on each addition's latency. `load(k, i)` is the
// input value of row k at column i: a float plane, or luma computed from the pixels on the fly
// (the same value, bit for bit, without writing and re-reading a luma plane).
template <int N, class Load>
void boxRows(Load load, float* out, int cols, const Phases& p) {
  float s[N] = {};
  int li = 0, ri = 0, oi = 0, count = 0;
  for (int i = 0; i < p.grow; i++, ri++) {
    count++;
    for (int k = 0; k < N; k++) s[k] = s[k] + load(k, ri);
  }
  for (int i = 0; i < p.growWrite; i++, ri++, oi++) {
    count++;
    for (int k = 0; k < N; k++) {
      s[k] = s[k] + load(k, ri);
      out[k * cols + oi] = s[k] / static_cast<float>(count);
    }
  }
  for (int i = 0; i < p.slide; i++, ri++, li++, oi++) {
    for (int k = 0; k < N; k++) {
      s[k] = (s[k] + load(k, ri)) - load(k, li);
      out[k * cols + oi] = s[k] / static_cast<float>(count);
    }
  }
  for (int i = 0; i < p.shrink; i++, li++, oi++) {
    count--;
    for (int k = 0; k < N; k++) {
      s[k] = s[k] - load(k, li);
      out[k * cols + oi] = s[k] / static_cast<float>(count);
    }
  }
}

// (R + G) is rounded to float before B is added, as in the reference's expression.
inline float lumaAt(const std::uint8_t* q) {
  return (kLumaR * static_cast<float>(q[0]) + kLumaG * static_cast<float>(q[1])) + kLumaB * static_cast<float>(q[2]);
}

void boxAlongRows(const float* in, float* out, int rows, int cols, int window) {
  const Phases p = boxPhases(cols, window);
  int r = 0;
  for (; r + 8 <= rows; r += 8) {
    const float* base = in + static_cast<long>(r) * cols;
    boxRows<8>([base, cols](int k, int i) { return base[static_cast<long>(k) * cols + i]; }, out + static_cast<long>(r) * cols, cols, p);
  }
  for (; r < rows; r++) {
    const float* base = in + static_cast<long>(r) * cols;
    boxRows<1>([base](int, int i) { return base[i]; }, out + static_cast<long>(r) * cols, cols, p);
  }
}

// The first row pass, reading the pixels themselves.
template <int C>
void boxLumaAlongRows(const std::uint8_t* data, float* out, int rows, int cols, int window) {
  const Phases p = boxPhases(cols, window);
  const long stride = static_cast<long>(cols) * C;
  int r = 0;
  for (; r + 8 <= rows; r += 8) {
    const std::uint8_t* base = data + static_cast<long>(r) * stride;
    boxRows<8>([base, stride](int k, int i) { return lumaAt(base + k * stride + static_cast<long>(i) * C); }, out + static_cast<long>(r) * cols, cols, p);
  }
  for (; r < rows; r++) {
    const std::uint8_t* base = data + static_cast<long>(r) * stride;
    boxRows<1>([base](int, int i) { return lumaAt(base + static_cast<long>(i) * C); }, out + static_cast<long>(r) * cols, cols, p);
  }
}

// The same filter down the columns, a whole row at a time: contiguous, so it vectorises.
void boxAlongCols(const float* in, float* out, int rows, int cols, int window, std::vector<float>& sums) {
  const Phases p = boxPhases(rows, window);
  sums.assign(cols, 0.0f);
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

// Centres of a 64-cell grid, computed in double as in the reference.
int decimationIndex(int cell, int length) { return static_cast<int>(std::floor(((cell + 0.5) * length) / 64)); }

void decimate(const float* in, int rows, int cols, float* out) {
  for (int i = 0; i < 64; i++) {
    const long row = static_cast<long>(decimationIndex(i, rows)) * cols;
    for (int j = 0; j < 64; j++) out[i * 64 + j] = in[row + decimationIndex(j, cols)];
  }
}

template <int C>
void fillLuma(const std::uint8_t* data, long pixels, float* luma) {
  for (long p = 0; p < pixels; p++) luma[p] = lumaAt(data + p * C);
}

// Scratch planes, reused across calls on the same thread (a worker hashes one image at a time):
// fresh multi-megabyte allocations would cost page faults and zeroing on every image.
struct Scratch {
  std::unique_ptr<float[]> plane1, plane2;
  long capacity = 0;
  std::vector<float> sampled, blurred, sums;
  void reserve(long pixels) {
    if (pixels <= capacity) return;
    plane1.reset(new float[pixels]);
    plane2.reset(new float[pixels]);
    capacity = pixels;
  }
  // One very large image should not pin its planes in a long-lived worker.
  void trim() {
    if (capacity <= 4096L * 4096L) return;
    plane1.reset();
    plane2.reset();
    capacity = 0;
  }
};

thread_local Scratch scratch;

}  // namespace

void pdqDownsample(const std::uint8_t* data, int width, int height, int channels, bool blur, float* out64x64) {
  const long pixels = static_cast<long>(width) * height;
  scratch.reserve(pixels);
  float* plane1 = scratch.plane1.get();
  float* plane2 = scratch.plane2.get();
  if (!blur) {
    if (channels == 4) fillLuma<4>(data, pixels, plane1);
    else fillLuma<3>(data, pixels, plane1);
    decimate(plane1, height, width, out64x64);
    scratch.trim();
    return;
  }
  const int windowAlongRows = jaroszWindowSize(width);
  const int windowAlongCols = jaroszWindowSize(height);
  if (channels == 4) boxLumaAlongRows<4>(data, plane2, height, width, windowAlongRows);
  else boxLumaAlongRows<3>(data, plane2, height, width, windowAlongRows);
  boxAlongCols(plane2, plane1, height, width, windowAlongCols, scratch.sums);
  boxAlongRows(plane1, plane2, height, width, windowAlongRows);
  // The last column pass is only ever read at the 64 decimation columns, and columns are
  // filtered independently: it runs on those alone.
  scratch.sampled.resize(static_cast<long>(height) * 64);
  scratch.blurred.resize(static_cast<long>(height) * 64);
  for (int j = 0; j < 64; j++) {
    const int column = decimationIndex(j, width);
    for (int r = 0; r < height; r++) scratch.sampled[static_cast<long>(r) * 64 + j] = plane2[static_cast<long>(r) * width + column];
  }
  boxAlongCols(scratch.sampled.data(), scratch.blurred.data(), height, 64, windowAlongCols, scratch.sums);
  decimate(scratch.blurred.data(), height, 64, out64x64);
  scratch.trim();
}

}  // namespace custos
