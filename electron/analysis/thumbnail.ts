// The review thumbnail: made from the pixels already decoded for hashing (no second decode)
// and returned as bytes for the encrypted store; it never touches the disk.
import sharp from 'sharp';

export const THUMBNAIL_SIZE = 256;

export type Thumbnail = { readonly webp: Buffer; readonly width: number; readonly height: number };

export async function makeThumbnail(rgba: Uint8Array, width: number, height: number): Promise<Thumbnail> {
  const { data, info } = await sharp(rgba, { raw: { width, height, channels: 4 } })
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 70, effort: 2 })
    .toBuffer({ resolveWithObject: true });
  return { webp: data, width: info.width, height: info.height };
}
