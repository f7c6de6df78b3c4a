// blockhash (Commons Machinery / draft RFC), 16x16 blocks = 256 bits, method 2 ("precise":
// pixels straddling a block edge are split between blocks by area). blockhash-core is the
// algorithm used by the blockhash-js reference; keeping to it keeps our hashes comparable with
// hash sets made by those tools.
import { bmvbhash } from 'blockhash-core';

export type BlockhashImage = {
  /** RGBA, 8 bits per channel: fully transparent pixels count as white, as the reference does. */
  readonly data: Uint8Array;
  readonly width: number;
  readonly height: number;
};

const BITS_PER_SIDE = 16;

/** 256-bit blockhash as 64 lowercase hex digits. */
export function blockhash256(image: BlockhashImage): string {
  const { data, width, height } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`invalid image size ${width}x${height}`);
  }
  if (data.length < width * height * 4) {
    throw new RangeError(`pixel buffer holds ${data.length} bytes, ${width}x${height} RGBA needs more`);
  }
  return bmvbhash({ data, width, height }, BITS_PER_SIDE);
}
