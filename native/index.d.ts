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
};
export = native;
