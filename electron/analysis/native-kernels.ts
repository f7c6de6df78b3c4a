// The compiled kernels of custos-native, when the addon is built (npm install builds it); the
// TypeScript implementations give the same results bit for bit (tested), only slower, so a
// missing addon costs speed, never correctness.
import { nativeAddon } from '../native/custos-native.js';

export type NativeKernels = {
  pdqDownsample(data: Uint8Array, width: number, height: number, channels: 3 | 4, blur: boolean): Float32Array;
  blockhashBlocks(data: Uint8Array, width: number, height: number, bits: number): Float64Array;
  boxShrink(data: Uint8Array, width: number, height: number, channels: number, factor: number): Uint8Array;
  areaResize(data: Uint8Array, width: number, height: number, channels: number, outWidth: number, outHeight: number): Uint8Array;
  /** PDQ's 64x64 block, blockhash's block sums and (factor >= 2) the box-shrunk pixels of an RGBA image, in one pass. */
  imagePass(
    rgba: Uint8Array,
    width: number,
    height: number,
    pdqBlur: boolean,
    blockhashBits: number,
    shrinkFactor: number,
  ): { pdq: Float32Array; blockhash: Float64Array; shrunk: Uint8Array | null };
  /**
   * MD5 (several streams side by side in SIMD lanes) and, with `sha`, SHA-1 and SHA-256 of each
   * stream: stream i's 17 state words are states[17i..], its input chunks[i], whole blocks unless
   * totals[i] >= 0, which makes it the stream's last chunk and totals[i] its length.
   */
  digestChunks(states: Uint32Array, chunks: readonly Uint8Array[], totals: Float64Array, sha: boolean): void;
  /** Streams whose MD5 advance together on this CPU: 16, 8 or 1. */
  readonly md5Lanes: number;
  /** Whether the CPU has the SHA extensions (digestChunks with sha = true). */
  readonly shaExtensions: boolean;
};

export const nativeKernels = nativeAddon<NativeKernels>() as NativeKernels | null;
