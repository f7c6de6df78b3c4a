// Custos native kernels: the per-pixel loops of PDQ and blockhash, whose arithmetic must match
// the references bit for bit (see the TypeScript versions in electron/analysis/, which these
// mirror operation for operation and are tested against).
#pragma once

#include <cstdint>

namespace custos {

// Luma, two Jarosz box-filter passes (or none when blur is false), decimation to 64x64.
void pdqDownsample(const std::uint8_t* data, int width, int height, int channels, bool blur, float* out64x64);

// blockhash-core's bmvbhash block sums (bits x bits, row-major) for RGBA pixels.
void blockhashBlocks(const std::uint8_t* rgba, int width, int height, int bits, double* out);

}  // namespace custos

namespace custos {

// Averages factor x factor blocks of 8-bit pixels (channels interleaved), rounding to nearest:
// a cheap first step down to a thumbnail, so the resampler sees a small image.
void boxShrink(const std::uint8_t* data, int width, int height, int channels, int factor, std::uint8_t* out);

}  // namespace custos
