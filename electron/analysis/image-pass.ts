// Everything computed from a decoded image's pixels: PDQ, blockhash and the thumbnail's source.
// With the native kernels this is one pass over the pixels, so a 12 MP image is read from
// memory once rather than once per hash; without them, each TypeScript implementation runs on
// its own. Both give the same hashes bit for bit (tests/unit/analysis/native-kernels.test.ts).
import { BITS_PER_SIDE, blockhash256, blockhashOfBlocks } from './blockhash.js';
import { nativeKernels } from './native-kernels.js';
import { pdqBlurs, pdqDihedralOfDownsampled, pdqDownsampleInScript, pdqHash, pdqHashable, type PdqResult } from './pdq.js';
import { thumbnailShrinkFactor, type RgbaPixels } from './thumbnail.js';

export type ImagePassResult = {
  readonly pdq: PdqResult;
  /**
   * The 8 dihedral variants (original first), for matching rotated and mirrored copies. From the
   * same 64x64 block as the hash, so for a 64x64 input (not blurred in the single-hash path)
   * they are of the unblurred block, unlike the reference's dihedral path, which always blurs.
   */
  readonly pdqVariants: readonly string[];
  readonly blockhash: string;
  /** What the thumbnail is encoded from: the block-averaged pixels, or the image itself. */
  readonly thumbnailSource: RgbaPixels | null;
};

export function imagePass(image: RgbaPixels, thumbnail: boolean): ImagePassResult {
  const { data, width, height } = image;
  if (nativeKernels === null || !pdqHashable(width, height)) {
    const pdq = pdqHash({ ...image, channels: 4 });
    const pdqVariants = pdqHashable(width, height)
      ? pdqDihedralOfDownsampled(pdqDownsampleInScript({ ...image, channels: 4 }, pdqBlurs(width, height))).hashes
      : Array.from({ length: 8 }, () => pdq.hash);
    return { pdq, pdqVariants, blockhash: blockhash256(image), thumbnailSource: thumbnail ? image : null };
  }
  const factor = thumbnail ? thumbnailShrinkFactor(width, height) : 0;
  const pass = nativeKernels.imagePass(data, width, height, pdqBlurs(width, height), BITS_PER_SIDE, factor >= 2 ? factor : 0);
  let thumbnailSource: RgbaPixels | null = null;
  if (thumbnail) {
    thumbnailSource = pass.shrunk === null ? image : { data: pass.shrunk, width: Math.floor(width / factor), height: Math.floor(height / factor) };
  }
  const dihedral = pdqDihedralOfDownsampled(pass.pdq);
  return {
    pdq: { hash: dihedral.hashes[0] ?? '', quality: dihedral.quality },
    pdqVariants: dihedral.hashes,
    blockhash: blockhashOfBlocks(pass.blockhash, width, height),
    thumbnailSource,
  };
}
