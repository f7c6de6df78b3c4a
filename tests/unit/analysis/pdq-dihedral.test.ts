// The 8 dihedral variants come from sign flips and transposes of the DCT output. Matching tries
// all 8 against a hash set, so each variant must stand for the real rotated or mirrored image.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeForHashing } from '../../../electron/analysis/decode.js';
import { hammingDistance, pdqDihedral, pdqHash } from '../../../electron/analysis/pdq.js';
import { noisyScene, sceneImage } from '../../fixtures/noisy-scenes.js';
import { vectorSet } from '../../fixtures/shared-vectors.js';

const pdq = vectorSet('pdq');

// The reference's order. Its "rotate 90" turns counter-clockwise (sharp's rotate(270)); flipX
// mirrors top to bottom (sharp's flip), flipY left to right (flop); flipPlus1 is the transpose.
const VARIANTS: readonly { readonly name: string; readonly file: string; readonly apply: (image: Sharp) => Sharp }[] = [
  { name: 'original', file: 'bridge-1-original.jpg', apply: (image) => image },
  { name: 'rotate90', file: 'bridge-2-rotate-90.jpg', apply: (image) => image.rotate(270) },
  { name: 'rotate180', file: 'bridge-3-rotate-180.jpg', apply: (image) => image.rotate(180) },
  { name: 'rotate270', file: 'bridge-4-rotate-270.jpg', apply: (image) => image.rotate(90) },
  { name: 'flipX', file: 'bridge-5-flipx.jpg', apply: (image) => image.flip() },
  { name: 'flipY', file: 'bridge-6-flipy.jpg', apply: (image) => image.flop() },
  { name: 'flipPlus1', file: 'bridge-7-flip-plus-1.jpg', apply: (image) => image.rotate(90).flip() },
  { name: 'flipMinus1', file: 'bridge-8-flip-minus-1.jpg', apply: (image) => image.rotate(90).flop() },
];

async function hashOf(image: Sharp): Promise<string> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return pdqHash({ data, width: info.width, height: info.height, channels: info.channels === 4 ? 4 : 3 }).hash;
}

describe.skipIf(!pdq.present)('PDQ dihedral variants against the reference orientation files', () => {
  it('matches each re-encoded orientation of the bridge within 8 bits, and no other variant', async () => {
    const dir = join(pdq.dir, 'data/reg-test-input/dih');
    const original = await decodeForHashing(await readFile(join(dir, 'bridge-1-original.jpg')));
    const { hashes } = pdqDihedral({ ...original, channels: 4 });
    for (const [index, variant] of VARIANTS.entries()) {
      const image = await decodeForHashing(await readFile(join(dir, variant.file)));
      const { hash } = pdqHash({ ...image, channels: 4 });
      const distances = hashes.map((h) => hammingDistance(h, hash));
      // Measured 0-8 bits: the orientation files are separately re-encoded progressive JPEGs.
      expect(distances[index], variant.name).toBeLessThanOrEqual(8);
      // Every other variant is far away (measured >= 102 bits).
      distances.forEach((d, other) => {
        if (other !== index) expect(d).toBeGreaterThan(90);
      });
    }
  });
});

describe("PDQ dihedral variants against sharp's own rotations and flips", () => {
  it('is exact when the blur and the 64x64 sampling are symmetric (odd windows, sides not multiples of 128)', async () => {
    // 1150x850: windows 9 and 7. With an odd window the box is centred and the decimation
    // points of a mirrored image mirror exactly, so the DCT identities hold bit for bit.
    for (const seed of [11, 12, 13]) {
      const scene = await noisyScene(seed, 1150, 850);
      const { hashes } = pdqDihedral(scene);
      for (const [index, variant] of VARIANTS.entries()) {
        const real = await hashOf(variant.apply(sceneImage(scene)));
        expect(hammingDistance(hashes[index] ?? '', real), `seed ${seed} ${variant.name}`).toBe(0);
      }
    }
  });

  it('stays close when it is not (even windows: the box leans one pixel, 1200x900)', async () => {
    // Measured on seeds 1-12: the transpose 0 bits, mirrors up to 14. Noise-heavy synthetic
    // edges are the worst case; photographs move less (the bridge files above: <= 8).
    for (const seed of [1, 2, 3]) {
      const scene = await noisyScene(seed, 1200, 900);
      const { hashes } = pdqDihedral(scene);
      for (const [index, variant] of VARIANTS.entries()) {
        const distance = hammingDistance(hashes[index] ?? '', await hashOf(variant.apply(sceneImage(scene))));
        const bound = variant.name === 'original' || variant.name === 'flipPlus1' ? 0 : 16;
        expect(distance, `seed ${seed} ${variant.name}`).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('gives pdqDihedral()[0] equal to pdqHash()', async () => {
    const scene = await noisyScene(5, 640, 480);
    expect(pdqDihedral(scene).hashes[0]).toBe(pdqHash(scene).hash);
    expect(pdqDihedral(scene).quality).toBe(pdqHash(scene).quality);
  });
});
