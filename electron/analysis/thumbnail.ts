// The review thumbnail: made from the pixels already decoded for hashing (no second decode)
// and returned as bytes for the encrypted store; it never touches the disk. The size is reached
// by averaging whole blocks of pixels (cheap and free of aliasing, and for a 256 px review image
// as good as a windowed resampler); sharp resamples only what is left over and encodes the WebP.
import sharp from 'sharp';
import { nativeKernels } from './native-kernels.js';

export const THUMBNAIL_SIZE = 256;

export type Thumbnail = { readonly webp: Buffer; readonly width: number; readonly height: number };

export async function makeThumbnail(rgba: Uint8Array, width: number, height: number): Promise<Thumbnail> {
  // The largest block that still leaves the long side at least THUMBNAIL_SIZE.
  const factor = Math.floor(Math.max(width, height) / THUMBNAIL_SIZE);
  let pixels = rgba;
  let w = width;
  let h = height;
  if (nativeKernels && factor >= 2) {
    pixels = nativeKernels.boxShrink(rgba, width, height, 4, factor);
    w = Math.floor(width / factor);
    h = Math.floor(height / factor);
  }
  const { data, info } = await sharp(pixels, { raw: { width: w, height: h, channels: 4 } })
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    // effort 0: a review thumbnail needs speed more than the last percent of compression.
    .webp({ quality: 75, effort: 0 })
    .toBuffer({ resolveWithObject: true });
  return { webp: data, width: info.width, height: info.height };
}
