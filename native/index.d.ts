declare const native: {
  /**
   * PDQ's luma conversion, two Jarosz box-filter passes and decimation to 64x64 (when `blur` is
   * false: decimation of the luma alone), in the reference's float arithmetic. Returns the 64x64
   * block, row-major.
   */
  pdqDownsample(data: Uint8Array, width: number, height: number, channels: 3 | 4, blur: boolean): Float32Array;
  /**
   * blockhash's per-block sums (bits x bits, row-major, in double) for RGBA pixels, accumulated
   * in blockhash-core's exact order, with its "precise" split of pixels straddling block edges.
   */
  blockhashBlocks(data: Uint8Array, width: number, height: number, bits: number): Float64Array;
  /** Averages factor x factor blocks (rounded): (width/factor) x (height/factor) pixels. */
  boxShrink(data: Uint8Array, width: number, height: number, channels: number, factor: number): Uint8Array;
};
export = native;
