// Integer-factor area averaging for thumbnails (no reference to match: any good downscale will
// do, this one is cheap and alias-free). Rows are summed into per-column totals as they stream
// past (contiguous: vectorises); every `factor` rows, each output pixel sums its factor columns
// of those totals.
#include <algorithm>
#include <vector>

#include "kernels.h"

namespace custos {
namespace {

CUSTOS_AVX2_CLONE void addBytes(std::uint32_t* sums, const std::uint8_t* line, long n) {
  for (long i = 0; i < n; i++) sums[i] += line[i];
}

}  // namespace

BoxShrinker::BoxShrinker(int width, int height, int channels, int factor, std::uint8_t* out)
    : width_(width), height_(height), channels_(channels), factor_(factor), columns_(static_cast<size_t>(width) * channels, 0u), out_(out) {}

void BoxShrinker::consume(const std::uint8_t* rows, int count) {
  const long lineBytes = static_cast<long>(width_) * channels_;
  const int outHeight = height_ / factor_;
  for (int k = 0; k < count; k++, rowsSeen_++) {
    // Rows below the last whole block are dropped, as the block average has no room for them.
    if (outRow_ >= outHeight) return;
    const std::uint8_t* line = rows + k * lineBytes;
    addBytes(columns_.data(), line, lineBytes);
    if ((rowsSeen_ + 1) % factor_ == 0) emitRow();
  }
}

void BoxShrinker::emitRow() {
  const int outWidth = width_ / factor_;
  const int c = channels_;
  const std::uint32_t area = static_cast<std::uint32_t>(factor_) * factor_;
  std::uint8_t* row = out_ + static_cast<long>(outRow_) * outWidth * c;
  for (int ox = 0; ox < outWidth; ox++) {
    const std::uint32_t* px = columns_.data() + static_cast<long>(ox) * factor_ * c;
    for (int ch = 0; ch < c; ch++) {
      std::uint32_t sum = 0;
      for (int dx = 0; dx < factor_; dx++) sum += px[dx * c + ch];
      row[ox * c + ch] = static_cast<std::uint8_t>((sum + area / 2) / area);
    }
  }
  std::fill(columns_.begin(), columns_.end(), 0u);
  outRow_++;
}

}  // namespace custos

namespace custos {

// Area averaging to an arbitrary smaller size: each output pixel is the mean of the input area
// it covers, edge pixels counted by the fraction they overlap. Used for the last, small step to
// the thumbnail's exact size, after the block average has done the bulk.
void areaResize(const std::uint8_t* data, int width, int height, int channels, int outWidth, int outHeight, std::uint8_t* out) {
  struct Tap {
    int index;
    float weight;
  };
  // For each output position, the input positions it covers and their weights (summing to 1).
  auto taps = [](int in, int outSize, std::vector<int>& start, std::vector<Tap>& all) {
    const double scale = static_cast<double>(in) / outSize;
    start.assign(outSize + 1, 0);
    for (int o = 0; o < outSize; o++) {
      start[o] = static_cast<int>(all.size());
      const double lo = o * scale, hi = (o + 1) * scale;
      for (int i = static_cast<int>(lo); i < in && i < hi; i++) {
        const double cover = std::min<double>(i + 1, hi) - std::max<double>(i, lo);
        if (cover > 0) all.push_back({i, static_cast<float>(cover / scale)});
      }
    }
    start[outSize] = static_cast<int>(all.size());
  };
  std::vector<int> xStart, yStart;
  std::vector<Tap> xTaps, yTaps;
  taps(width, outWidth, xStart, xTaps);
  taps(height, outHeight, yStart, yTaps);
  const int c = channels;
  // Horizontal pass into floats, one input row at a time; the vertical pass sums those rows.
  // Channels are the inner loop, so the four of an RGBA pixel go through as one vector.
  std::vector<float> rows(static_cast<size_t>(height) * outWidth * c);
  for (int y = 0; y < height; y++) {
    const std::uint8_t* line = data + static_cast<long>(y) * width * c;
    float* row = rows.data() + static_cast<long>(y) * outWidth * c;
    for (int ox = 0; ox < outWidth; ox++) {
      float* sum = row + ox * c;
      for (int ch = 0; ch < c; ch++) sum[ch] = 0;
      for (int t = xStart[ox]; t < xStart[ox + 1]; t++) {
        const std::uint8_t* px = line + xTaps[t].index * c;
        const float weight = xTaps[t].weight;
        if (c == 4) {
          for (int ch = 0; ch < 4; ch++) sum[ch] += weight * px[ch];
        } else {
          for (int ch = 0; ch < c; ch++) sum[ch] += weight * px[ch];
        }
      }
    }
  }
  std::vector<float> acc(static_cast<size_t>(outWidth) * c);
  for (int oy = 0; oy < outHeight; oy++) {
    std::fill(acc.begin(), acc.end(), 0.0f);
    for (int t = yStart[oy]; t < yStart[oy + 1]; t++) {
      const float* in = rows.data() + static_cast<long>(yTaps[t].index) * outWidth * c;
      const float weight = yTaps[t].weight;
      for (int i = 0; i < outWidth * c; i++) acc[i] += weight * in[i];
    }
    std::uint8_t* line = out + static_cast<long>(oy) * outWidth * c;
    for (int i = 0; i < outWidth * c; i++) line[i] = static_cast<std::uint8_t>(std::min(255.0f, std::max(0.0f, acc[i] + 0.5f)));
  }
}

}  // namespace custos
