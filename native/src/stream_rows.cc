// One pass over a decoded image for every kernel that wants it.
#include <algorithm>

#include "kernels.h"

namespace custos {

namespace {
// Sixteen rows of a 4000 px RGBA image are 256 KB: the band is read from memory once and
// stays in the core's cache while each kernel takes its turn on it.
const int kBandRows = 16;
}  // namespace

void streamRows(const std::uint8_t* data, int width, int height, int channels, PdqDownscaler* pdq, BlockhashAccumulator* blockhash,
                BoxShrinker* shrink) {
  const long stride = static_cast<long>(width) * channels;
  for (int y = 0; y < height; y += kBandRows) {
    const int n = std::min(kBandRows, height - y);
    const std::uint8_t* band = data + y * stride;
    if (pdq != nullptr) pdq->consume(band, n);
    if (blockhash != nullptr) blockhash->consume(band, n);
    if (shrink != nullptr) shrink->consume(band, n);
  }
}

}  // namespace custos
