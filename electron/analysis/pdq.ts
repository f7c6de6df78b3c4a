// PDQ perceptual hash (Meta ThreatExchange, pdq/cpp/hashing/pdqhashing.cpp and
// pdq/cpp/downscaling/downscaling.cpp at baefb4ed). Hash sets made by other tools must match
// ours bit for bit, so every step keeps the reference's single-precision arithmetic: each
// float operation of the C++ code is rounded to float32 here too (Math.fround or a store into
// a Float32Array), in the reference's order. A bit is a comparison with the median, so any
// other rounding can flip the bits of coefficients that sit next to it.

import { boxAlongCols, boxAlongRows, decimate, decimationIndex, jaroszWindowSize } from './pdq-downscale.js';
import { nativeKernels } from './native-kernels.js';

export type PdqImage = {
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
};

export type PdqResult = { readonly hash: string; readonly quality: number };

/** Order: original, rot90, rot180, rot270, flipX, flipY, flipPlus1, flipMinus1 (the reference's). */
export const DIHEDRAL_NAMES = ['original', 'rot90', 'rot180', 'rot270', 'flipX', 'flipY', 'flipPlus1', 'flipMinus1'] as const;
export type PdqDihedralResult = { readonly hashes: readonly string[]; readonly quality: number };

const f32 = Math.fround;

// The reference declares these as float constants, so the products use the rounded values.
const LUMA_R = f32(0.299);
const LUMA_G = f32(0.587);
const LUMA_B = f32(0.114);

// Below this the reference returns the all-zero hash with quality 0.
const MIN_HASHABLE_DIM = 5;
const ZERO_HASH = '0'.repeat(64);

// coefficient * byte, rounded to float as the reference does, for every byte value: turns three
// multiplications per pixel into lookups with identical results.
function lumaTable(coefficient: number): Float32Array {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = coefficient * v;
  return table;
}
const LUMA_R_TABLE = lumaTable(LUMA_R);
const LUMA_G_TABLE = lumaTable(LUMA_G);
const LUMA_B_TABLE = lumaTable(LUMA_B);

// 16x64 DCT-II rows 1..16 (row 0, the DC term, is not part of the hash). The scale factor is a
// float in the reference, the cosine argument and product are double, the entry is stored as float.
const DCT_MATRIX: Float32Array = (() => {
  const matrix = new Float32Array(16 * 64);
  const scale = f32(Math.sqrt(2 / 64));
  for (let i = 0; i < 16; i++) {
    for (let j = 0; j < 64; j++) {
      matrix[i * 64 + j] = scale * Math.cos((Math.PI / 2 / 64) * (i + 1) * (2 * j + 1));
    }
  }
  return matrix;
})();

// Scratch buffers, reused across calls: a worker hashes one image at a time, and allocating
// (and zeroing) full-size float planes per image would cost more than the hash itself.
const scratch = {
  plane1: new Float32Array(0),
  plane2: new Float32Array(0),
  sampled: new Float32Array(0),
  sampledBlurred: new Float32Array(0),
};
const block64 = new Float32Array(64 * 64);
const dct16x64 = new Float32Array(16 * 64);
const dct16 = new Float32Array(16 * 16);
const dctAux = new Float32Array(16 * 16);
// Above this many pixels the planes are dropped after the call, so one huge image does not pin
// hundreds of megabytes in a long-lived worker.
const RETAINED_PLANE_PIXELS = 2048 * 2048;

export function pdqHash(image: PdqImage): PdqResult {
  checkImage(image);
  if (!pdqHashable(image.width, image.height)) return { hash: ZERO_HASH, quality: 0 };
  const quality = downsampleTo64(image, pdqBlurs(image.width, image.height));
  dct64To16(block64, dct16x64, dct16);
  return { hash: bitsAboveMedian(dct16), quality };
}

/** Below 5 px on a side the reference returns the all-zero hash with quality 0. */
export function pdqHashable(width: number, height: number): boolean {
  return width >= MIN_HASHABLE_DIM && height >= MIN_HASHABLE_DIM;
}

/**
 * The reference skips the blur for an input that is already 64x64 (video frames) in the
 * single-hash path only; the dihedral path always blurs. Kept, so results match each tool.
 */
export function pdqBlurs(width: number, height: number): boolean {
  return width !== 64 || height !== 64;
}

export function pdqDihedral(image: PdqImage): PdqDihedralResult {
  checkImage(image);
  if (!pdqHashable(image.width, image.height)) {
    return { hashes: Array.from({ length: 8 }, () => ZERO_HASH), quality: 0 };
  }
  const quality = downsampleTo64(image, true);
  return { hashes: dihedralHashes(), quality };
}

/** The 8 dihedral hashes of a 64x64 block downsampled elsewhere (the native single pass). */
export function pdqDihedralOfDownsampled(downsampled: Float32Array): PdqDihedralResult {
  if (downsampled.length !== 64 * 64) throw new RangeError('a PDQ block is 64x64');
  block64.set(downsampled);
  const quality = qualityMetric(block64);
  return { hashes: dihedralHashes(), quality };
}

// The 8 symmetries of the square act on the DCT coefficients as a transpose and/or sign flips
// of odd rows/columns, so the variants need no second pass over the pixels.
function dihedralHashes(): string[] {
  dct64To16(block64, dct16x64, dct16);
  return DIHEDRAL_TRANSFORMS.map((transform) => {
    if (transform === null) return bitsAboveMedian(dct16);
    transform(dct16, dctAux);
    return bitsAboveMedian(dctAux);
  });
}

const HASH_PATTERN = /^[0-9a-f]{64}$/i;

/** Number of differing bits between two 64-hex-digit hashes. */
export function hammingDistance(a: string, b: string): number {
  if (!HASH_PATTERN.test(a) || !HASH_PATTERN.test(b)) throw new RangeError('PDQ hashes are 64 hex digits');
  let distance = 0;
  for (let i = 0; i < 64; i += 8) {
    distance += popcount32((Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16)) >>> 0);
  }
  return distance;
}

function popcount32(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

function checkImage(image: PdqImage): void {
  const { width, height, channels, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`invalid image size ${width}x${height}`);
  }
  if (data.length < width * height * channels) {
    throw new RangeError(`pixel buffer holds ${data.length} bytes, ${width}x${height}x${channels} needs more`);
  }
}

/** Luma, two Jarosz box-filter passes and decimation into block64; returns the quality metric. */
function downsampleTo64(image: PdqImage, blur: boolean): number {
  if (nativeKernels) {
    block64.set(nativeKernels.pdqDownsample(image.data, image.width, image.height, image.channels, blur));
    return qualityMetric(block64);
  }
  return downsampleTo64InScript(image, blur);
}

/** The same in TypeScript: the fallback without the addon, and the addon's reference in tests. */
export function pdqDownsampleInScript(image: PdqImage, blur: boolean): Float32Array {
  checkImage(image);
  downsampleTo64InScript(image, blur);
  return block64.slice();
}

function downsampleTo64InScript(image: PdqImage, blur: boolean): number {
  const { width, height } = image;
  const pixels = width * height;
  if (scratch.plane1.length < pixels) {
    scratch.plane1 = new Float32Array(pixels);
    scratch.plane2 = new Float32Array(pixels);
  }
  const { plane1, plane2 } = scratch;
  fillLuma(image, plane1);
  if (!blur) {
    decimate(plane1, height, width, block64);
  } else {
    const windowAlongRows = jaroszWindowSize(width);
    const windowAlongCols = jaroszWindowSize(height);
    boxAlongRows(plane1, plane2, height, width, windowAlongRows);
    boxAlongCols(plane2, plane1, height, width, windowAlongCols);
    boxAlongRows(plane1, plane2, height, width, windowAlongRows);
    // The reference runs two row+column passes. The last column pass is only ever read at the
    // 64 decimation columns, and columns are filtered independently: it runs on those alone.
    if (scratch.sampled.length < height * 64) {
      scratch.sampled = new Float32Array(height * 64);
      scratch.sampledBlurred = new Float32Array(height * 64);
    }
    const { sampled, sampledBlurred } = scratch;
    for (let j = 0; j < 64; j++) {
      const column = decimationIndex(j, width);
      for (let r = 0, o = j; r < height; r++, o += 64) sampled[o] = plane2[r * width + column] ?? 0;
    }
    boxAlongCols(sampled, sampledBlurred, height, 64, windowAlongCols);
    decimate(sampledBlurred, height, 64, block64);
  }
  if (pixels > RETAINED_PLANE_PIXELS) {
    scratch.plane1 = new Float32Array(0);
    scratch.plane2 = new Float32Array(0);
    scratch.sampled = new Float32Array(0);
    scratch.sampledBlurred = new Float32Array(0);
  }
  return qualityMetric(block64);
}

function fillLuma(image: PdqImage, luma: Float32Array): void {
  const { data, channels } = image;
  const pixels = image.width * image.height;
  // A constant stride lets the compiler keep this loop tight; RGBA is the common case.
  if (channels === 4) {
    for (let p = 0, q = 0; p < pixels; p++, q += 4) luma[p] = lumaOf(data, q);
  } else {
    for (let p = 0, q = 0; p < pixels; p++, q += 3) luma[p] = lumaOf(data, q);
  }
}

// (R + G) is rounded to float before B is added, as in the reference's float expression.
function lumaOf(data: Uint8Array, q: number): number {
  return f32((LUMA_R_TABLE[data[q] ?? 0] ?? 0) + (LUMA_G_TABLE[data[q + 1] ?? 0] ?? 0)) + (LUMA_B_TABLE[data[q + 2] ?? 0] ?? 0);
}

// The reference's heuristic: sum of quantised neighbour differences (truncated to whole
// percent of full scale, in float), scaled so that 100 means "plenty of structure".
function qualityMetric(block: Float32Array): number {
  let gradientSum = 0;
  for (let i = 0; i < 63; i++) {
    for (let j = 0; j < 64; j++) {
      gradientSum += Math.abs(percentStep(block[i * 64 + j] ?? 0, block[(i + 1) * 64 + j] ?? 0));
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 63; j++) {
      gradientSum += Math.abs(percentStep(block[i * 64 + j] ?? 0, block[i * 64 + j + 1] ?? 0));
    }
  }
  return Math.min(100, Math.trunc(gradientSum / 90));
}

function percentStep(u: number, v: number): number {
  return Math.trunc(f32(f32(f32(u - v) * 100) / 255));
}

// B = D A D^T restricted to the 16x16 low frequencies, accumulating in float in the reference's
// order (the sum's rounding depends on it).
function dct64To16(a: Float32Array, t: Float32Array, b: Float32Array): void {
  const d = DCT_MATRIX;
  for (let i = 0; i < 16; i++) {
    const drow = i * 64;
    for (let j = 0; j < 64; j++) {
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f32(sum + f32((d[drow + k] ?? 0) * (a[k * 64 + j] ?? 0)));
      t[i * 64 + j] = sum;
    }
  }
  for (let i = 0; i < 16; i++) {
    const trow = i * 64;
    for (let j = 0; j < 16; j++) {
      const drow = j * 64;
      let sum = 0;
      for (let k = 0; k < 64; k++) sum = f32(sum + f32((t[trow + k] ?? 0) * (d[drow + k] ?? 0)));
      b[i * 16 + j] = sum;
    }
  }
}

type DctTransform = (a: Float32Array, b: Float32Array) => void;

// Sign patterns and transposes from the reference's dct16OriginalTo* functions.
function signedCopy(transpose: boolean, negate: (i: number, j: number) => boolean): DctTransform {
  return (a, b) => {
    for (let i = 0; i < 16; i++) {
      for (let j = 0; j < 16; j++) {
        const value = a[i * 16 + j] ?? 0;
        b[transpose ? j * 16 + i : i * 16 + j] = negate(i, j) ? -value : value;
      }
    }
  };
}

const DIHEDRAL_TRANSFORMS: readonly (DctTransform | null)[] = [
  null,
  signedCopy(true, (_i, j) => (j & 1) === 0), // rotate 90
  signedCopy(false, (i, j) => ((i + j) & 1) === 1), // rotate 180
  signedCopy(true, (i) => (i & 1) === 0), // rotate 270
  signedCopy(false, (i) => (i & 1) === 0), // flip x
  signedCopy(false, (_i, j) => (j & 1) === 0), // flip y
  signedCopy(true, () => false), // flip about the main diagonal
  signedCopy(true, (i, j) => ((i + j) & 1) === 1), // flip about the anti-diagonal
];

// Bit i*16+j is set where coefficient (i, j) exceeds the median. The reference stores the bits in
// sixteen 16-bit words and prints word 15 first, each as four hex digits.
function bitsAboveMedian(coefficients: Float32Array): string {
  const median = torbenMedian(coefficients);
  let hex = '';
  for (let i = 15; i >= 0; i--) {
    let word = 0;
    for (let j = 0; j < 16; j++) {
      if ((coefficients[i * 16 + j] ?? 0) > median) word |= 1 << j;
    }
    hex += word.toString(16).padStart(4, '0');
  }
  return hex;
}

// Torben Mogensen's selection-free median, as the reference uses it: for an even count it
// returns the lower middle value, which decides the bits of coefficients tied at the median.
function torbenMedian(m: Float32Array): number {
  const n = m.length;
  let min = m[0] ?? 0;
  let max = min;
  for (let i = 1; i < n; i++) {
    const v = m[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const halfCount = Math.floor((n + 1) / 2);
  for (;;) {
    const guess = f32((min + max) / 2);
    let less = 0;
    let greater = 0;
    let equal = 0;
    let maxBelow = min;
    let minAbove = max;
    for (let i = 0; i < n; i++) {
      const v = m[i] ?? 0;
      if (v < guess) {
        less++;
        if (v > maxBelow) maxBelow = v;
      } else if (v > guess) {
        greater++;
        if (v < minAbove) minAbove = v;
      } else {
        equal++;
      }
    }
    if (less <= halfCount && greater <= halfCount) {
      if (less >= halfCount) return maxBelow;
      if (less + equal >= halfCount) return guess;
      return minAbove;
    }
    if (less > greater) max = maxBelow;
    else min = minAbove;
  }
}
