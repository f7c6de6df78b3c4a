// Integer-factor area averaging for thumbnails (no reference to match: any good downscale will
// do, this one is cheap and alias-free).
#include <algorithm>
#include <vector>

#include "kernels.h"

namespace custos {
namespace {

// The channel count is a template parameter so the per-pixel loop unrolls and vectorises.
// Rows are first summed vertically over the factor (contiguous: vectorises), then each output
// pixel sums its factor columns of those sums.
template <int C>
void shrink(const std::uint8_t* data, int width, int height, int factor, std::uint8_t* out) {
  const int outWidth = width / factor;
  const int outHeight = height / factor;
  const long lineBytes = static_cast<long>(width) * C;
  const std::uint32_t area = static_cast<std::uint32_t>(factor) * factor;
  std::vector<std::uint32_t> columns(static_cast<size_t>(lineBytes));
  for (int oy = 0; oy < outHeight; oy++) {
    std::fill(columns.begin(), columns.end(), 0u);
    for (int dy = 0; dy < factor; dy++) {
      const std::uint8_t* line = data + (static_cast<long>(oy) * factor + dy) * lineBytes;
      for (long i = 0; i < lineBytes; i++) columns[static_cast<size_t>(i)] += line[i];
    }
    std::uint8_t* row = out + static_cast<long>(oy) * outWidth * C;
    for (int ox = 0; ox < outWidth; ox++) {
      const std::uint32_t* px = columns.data() + static_cast<long>(ox) * factor * C;
      for (int c = 0; c < C; c++) {
        std::uint32_t sum = 0;
        for (int dx = 0; dx < factor; dx++) sum += px[dx * C + c];
        row[ox * C + c] = static_cast<std::uint8_t>((sum + area / 2) / area);
      }
    }
  }
}

}  // namespace

void boxShrink(const std::uint8_t* data, int width, int height, int channels, int factor, std::uint8_t* out) {
  switch (channels) {
    case 1: return shrink<1>(data, width, height, factor, out);
    case 2: return shrink<2>(data, width, height, factor, out);
    case 3: return shrink<3>(data, width, height, factor, out);
    default: return shrink<4>(data, width, height, factor, out);
  }
}

}  // namespace custos
