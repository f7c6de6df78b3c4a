declare const native: {
  /**
   * PDQ's luma conversion, two Jarosz box-filter passes and decimation to 64x64 (when `blur` is
   * false: decimation of the luma alone), in the reference's float arithmetic. Returns the 64x64
   * block, row-major.
   */
  pdqDownsample(data: Uint8Array, width: number, height: number, channels: 3 | 4, blur: boolean): Float32Array;
  /**
   * blockhash's per-block sums (bits x bits, row-major, in double) for RGBA pixels, accumulated
   * equal to blockhash-core's, with its "precise" split of pixels straddling block edges.
   */
  blockhashBlocks(data: Uint8Array, width: number, height: number, bits: number): Float64Array;
  /** Averages factor x factor blocks (rounded): (width/factor) x (height/factor) pixels. */
  boxShrink(data: Uint8Array, width: number, height: number, channels: number, factor: number): Uint8Array;
  /** Area averaging to a smaller size (each output pixel the mean of the area it covers). */
  areaResize(data: Uint8Array, width: number, height: number, channels: number, outWidth: number, outHeight: number): Uint8Array;
  /**
   * The three above over one RGBA image in a single pass (the image is read from memory once):
   * PDQ's 64x64 block, blockhash's block sums for a power-of-two `blockhashBits`, and the
   * box-shrunk pixels when `shrinkFactor` >= 2 (else null).
   */
  imagePass(
    rgba: Uint8Array,
    width: number,
    height: number,
    pdqBlur: boolean,
    blockhashBits: number,
    shrinkFactor: number,
  ): { pdq: Float32Array; blockhash: Float64Array; shrunk: Uint8Array | null };
  /**
   * Advances the digests of several streams at once: MD5 one stream per SIMD lane, and with `sha`
   * SHA-1 and SHA-256 on the CPU's SHA extensions. Stream i's 17 state words are states[17i..]
   * (MD5 4, SHA-1 5, SHA-256 8); chunks[i] is whole 64-byte blocks, or, when totals[i] >= 0, the
   * stream's last bytes with totals[i] its length (the padding is added and the state is final).
   */
  digestChunks(states: Uint32Array, chunks: readonly Uint8Array[], totals: Float64Array, sha: boolean): void;
  /**
   * SHA-256 alone on the SHA extensions (only where shaExtensions): advances the 8-word `state`
   * over `data`, whole 64-byte blocks, or when `total` >= 0 the stream's last bytes, `total` its
   * length (padded; the state is then final). `state` may live in a SharedArrayBuffer.
   */
  sha256Update(state: Uint32Array, data: Uint8Array, total: number): void;
  /** Streams whose MD5 this CPU advances together: 16 (AVX-512), 8 (AVX2) or 1. */
  readonly md5Lanes: number;
  /** Whether this CPU has the SHA extensions (for digestChunks' `sha`). */
  readonly shaExtensions: boolean;
  /**
   * An in-memory Hamming index over 256-bit codes (multi-index hashing on 16 chunks of 16 bits,
   * or a full scan where that is cheaper): `codes` holds N codes of 32 bytes, copied, id i being
   * the i-th. Throws a RangeError when the length is not a multiple of 32.
   */
  HammingIndex: {
    new (codes: Uint8Array): HammingIndex;
    /** How popcount runs: the x86 POPCNT instruction, the compiler's builtin (other CPUs) or bit arithmetic. */
    readonly popcount: 'popcnt' | 'builtin' | 'swar';
  };
};

/**
 * Matches of Q queries, flat: query q's are [offsets[q], offsets[q + 1]) in the other arrays,
 * sorted by (distance, id); `variants` is the query variant closest to the code (lowest on ties).
 */
type HammingMatches = { offsets: Uint32Array; ids: Uint32Array; distances: Uint16Array; variants: Uint8Array };

interface HammingIndex {
  readonly size: number;
  /** Bytes held: 32 per code, plus 64 per code and 4 MiB of tables from 4096 codes up. */
  memoryBytes(): number;
  /**
   * Every code within maxDistance (0..256) of any code of each query, where a query is
   * `variantsPerQuery` (1, or 8 for PDQ's dihedral variants) consecutive 32-byte codes. Runs off
   * the JavaScript thread on `threads` threads (default 1). Throws a RangeError on invalid
   * arguments; rejects with one when the batch would return more than 2^26 matches.
   */
  search(queries: Uint8Array, variantsPerQuery: 1 | 8, maxDistance: number, threads?: number): Promise<HammingMatches>;
  /** search() on the calling thread. */
  searchSync(queries: Uint8Array, variantsPerQuery: 1 | 8, maxDistance: number, threads?: number): HammingMatches;
}

export = native;
