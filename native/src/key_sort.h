#pragma once

#include <cstddef>
#include <cstdint>

namespace custos {

/** Sorts n keys of `width` bytes in place by (key bytes, id), moving each id with its key. */
void sortKeys(uint8_t* keys, double* ids, size_t n, size_t width);

/**
 * A 128-bit key per fixed-width record (two independently seeded multiply-rotate lanes, each
 * finished with MurmurHash3's 64-bit avalanche): an identity for finding duplicate records, not
 * a cryptographic digest.
 */
void recordKeys(const uint8_t* records, size_t n, size_t width, uint8_t* out);

/**
 * Copies the `width`-byte key at `offset` of each of `count` records of `stride` bytes into
 * `keys` (packed) with id firstId + its record index into `ids`, skipping records whose
 * `zeroWidth` bytes at `offset` are all zero (an absent digest; a key may be a digest's prefix, so
 * the whole digest is checked). Returns how many were copied.
 */
size_t gatherKeys(const uint8_t* records, size_t stride, size_t offset, size_t width, size_t count, size_t zeroWidth, uint8_t* keys, double* ids, double firstId);

}  // namespace custos
