// blockhash (Commons Machinery / draft RFC), 16x16 blocks = 256 bits, method 2 ("precise":
// pixels straddling a block edge are split between blocks by area). blockhash-core is the
// algorithm used by the blockhash-js reference; keeping to it keeps our hashes comparable with
// hash sets made by those tools.
import { bmvbhash } from 'blockhash-core';
import { nativeKernels } from './native-kernels.js';

export type BlockhashImage = {
  /** RGBA, 8 bits per channel: fully transparent pixels count as white, as the reference does. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
};

export const BITS_PER_SIDE = 16;

/** 256-bit blockhash as 64 lowercase hex digits. */
export function blockhash256(image: BlockhashImage): string {
  const { data, width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`invalid image size ${width}x${height}`);
  }
  if (data.length < width * height * 4) {
    throw new RangeError(`pixel buffer holds ${data.length} bytes, ${width}x${height} RGBA needs more`);
  }
  if (!nativeKernels) return bmvbhash({ data, width, height }, BITS_PER_SIDE);
  return blockhashOfBlocks(nativeKernels.blockhashBlocks(data, width, height, BITS_PER_SIDE), width, height);
}

/** The hash from bmvbhash's block sums computed elsewhere (the native single pass over the pixels). */
export function blockhashOfBlocks(sums: Float64Array, width: number, height: number): string {
  if (sums.length !== BITS_PER_SIDE * BITS_PER_SIDE) throw new RangeError(`blockhash needs ${BITS_PER_SIDE}x${BITS_PER_SIDE} block sums`);
  const blocks = Array.from(sums);
  const even = width % BITS_PER_SIDE === 0 && height % BITS_PER_SIDE === 0;
  const pixelsPerBlock = even
    ? Math.floor(width / BITS_PER_SIDE) * Math.floor(height / BITS_PER_SIDE)
    : (width / BITS_PER_SIDE) * (height / BITS_PER_SIDE);
  return bitsToHex(blocksToBits(blocks, pixelsPerBlock));
}

/** blockhash-core in TypeScript (the fallback without the addon, and its reference in tests). */
export function blockhash256InScript(image: BlockhashImage): string {
  return bmvbhash({ data: image.data, width: image.width, height: image.height }, BITS_PER_SIDE);
}

// blockhash-core's median: sorted copy, mean of the two middle values for an even count.
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 === 0 ? ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2 : (sorted[Math.floor(mid)] ?? 0);
}

// blockhash-core's translateBlocksToBits: each of four horizontal bands against its own median;
// a block equal to the median counts as bright when the median is in the bright half.
function blocksToBits(blocks: readonly number[], pixelsPerBlock: number): number[] {
  const halfBlockValue = (pixelsPerBlock * 256 * 3) / 2;
  const band = blocks.length / 4;
  const bits: number[] = [];
  for (let i = 0; i < 4; i++) {
    const slice = blocks.slice(i * band, (i + 1) * band);
    const m = median(slice);
    for (const v of slice) bits.push(Number(v > m || (Math.abs(v - m) < 1 && m > halfBlockValue)));
  }
  return bits;
}

function bitsToHex(bits: readonly number[]): string {
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) hex += (((bits[i] ?? 0) << 3) | ((bits[i + 1] ?? 0) << 2) | ((bits[i + 2] ?? 0) << 1) | (bits[i + 3] ?? 0)).toString(16);
  return hex;
}
