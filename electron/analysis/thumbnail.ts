// The review thumbnail: made from the pixels already decoded for hashing (no second decode)
// and returned as bytes for the encrypted store; it never touches the disk. Large images are
// first averaged down by an integer factor (cheap, alias-free) so the resampler works on a
// small image; the final size and quality come from sharp.
import sharp from 'sharp';
import { nativeKernels } from './native-kernels.js';

export const THUMBNAIL_SIZE = 256;

export type Thumbnail = { readonly webp: Buffer; readonly width: number; readonly height: number };

export async function makeThumbnail(rgba: Uint8Array, width: number, height: number): Promise<Thumbnail> {
  // Keep at least the thumbnail size on the short side for the resampler to work from.
  const factor = Math.floor(Math.min(width, height) / THUMBNAIL_SIZE);
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
    .webp({ quality: 70, effort: 2 })
    .toBuffer({ resolveWithObject: true });
  return { webp: data, width: info.width, height: info.height };
}
