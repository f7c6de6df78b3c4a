// The review thumbnail: made from the pixels already decoded for hashing (no second decode)
// and returned as bytes for the encrypted store; it never touches the disk. The size is reached
// by averaging whole blocks of pixels in the single pass over the image (image-pass.ts: cheap,
// free of aliasing, and for a 256 px review image as good as a windowed resampler); what is left
// over is area-averaged here and sharp only encodes the WebP.
import sharp from 'sharp';
import { nativeKernels } from './native-kernels.js';

export const THUMBNAIL_SIZE = 256;

export type Thumbnail = { readonly webp: Buffer; readonly width: number; readonly height: number };

export type RgbaPixels = { readonly data: Uint8Array; readonly width: number; readonly height: number };

/** The largest block that still leaves the long side at least THUMBNAIL_SIZE (below 2: none). */
export function thumbnailShrinkFactor(width: number, height: number): number {
  return Math.floor(Math.max(width, height) / THUMBNAIL_SIZE);
}

/** The size that fits inside THUMBNAIL_SIZE square, aspect kept, never enlarged. */
export function thumbnailSize(width: number, height: number): { width: number; height: number } {
  const longSide = Math.max(width, height);
  if (longSide <= THUMBNAIL_SIZE) return { width, height };
  const scale = THUMBNAIL_SIZE / longSide;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** Resamples what the block average left over down to THUMBNAIL_SIZE and encodes the WebP. */
export async function encodeThumbnail(pixels: RgbaPixels): Promise<Thumbnail> {
  const size = thumbnailSize(pixels.width, pixels.height);
  let exact = pixels;
  if (nativeKernels && (size.width !== pixels.width || size.height !== pixels.height)) {
    // The last step is on an image already near the target: an area average done here costs a
    // fraction of a sharp resampling pipeline.
    exact = { data: nativeKernels.areaResize(pixels.data, pixels.width, pixels.height, 4, size.width, size.height), ...size };
  }
  let pipeline = sharp(exact.data, { raw: { width: exact.width, height: exact.height, channels: 4 } });
  if (exact.width !== size.width || exact.height !== size.height) pipeline = pipeline.resize(size.width, size.height, { fit: 'fill' });
  // An alpha plane that is all opaque (every JPEG) would still be encoded, at a third of the cost.
  if (isOpaque(exact.data)) pipeline = pipeline.removeAlpha();
  const { data, info } = await pipeline
    // effort 0: a review thumbnail needs speed more than the last percent of compression.
    .webp({ quality: 75, effort: 0 })
    .toBuffer({ resolveWithObject: true });
  return { webp: data, width: info.width, height: info.height };
}

function isOpaque(rgba: Uint8Array): boolean {
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return false;
  return true;
}
