// What matching relies on: everyday re-encodings of one image stay within the match threshold
// (31 bits), unrelated images stay far outside it. Synthetic scenes only.
import { describe, expect, it } from 'vitest';
import { decodeForHashing } from '../../../electron/analysis/decode.js';
import { hammingDistance, pdqHash } from '../../../electron/analysis/pdq.js';
import { noisyScene, sceneImage } from '../../fixtures/noisy-scenes.js';

const MATCH_THRESHOLD = 31;

async function hashBytes(bytes: Buffer): Promise<{ hash: string; quality: number }> {
  const image = await decodeForHashing(bytes);
  return pdqHash({ ...image, channels: 4 });
}

describe('PDQ robustness on synthetic 1200x900 scenes', () => {
  it('keeps a JPEG re-encode at quality 60, a 50 % resize and a 2 px border within the match threshold', async () => {
    for (const seed of [1, 2, 3]) {
      const scene = await noisyScene(seed, 1200, 900);
      const png = await sceneImage(scene).png({ compressionLevel: 1 }).toBuffer();
      const original = await hashBytes(png);
      expect(original.quality).toBeGreaterThanOrEqual(50);
      const edits = {
        jpeg60: await sceneImage(scene).jpeg({ quality: 60 }).toBuffer(),
        half: await sceneImage(scene).resize(600, 450).png().toBuffer(),
        border: await sceneImage(scene).extend({ top: 2, bottom: 2, left: 2, right: 2, background: '#000000' }).png().toBuffer(),
      };
      for (const [edit, bytes] of Object.entries(edits)) {
        const distance = hammingDistance(original.hash, (await hashBytes(bytes)).hash);
        // Measured on seeds 1-8: JPEG 0-2 bits, resize 2-8, border 2-10.
        expect(distance, `seed ${seed} ${edit}`).toBeLessThanOrEqual(MATCH_THRESHOLD);
      }
    }
  });

  it('keeps unrelated scenes far apart (> 70 bits pairwise)', async () => {
    const hashes: string[] = [];
    for (const seed of [21, 22, 23, 24, 25, 26]) hashes.push(pdqHash(await noisyScene(seed, 1200, 900)).hash);
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i + 1; j < hashes.length; j++) {
        // Measured: >= 104 bits (random hashes average 128).
        expect(hammingDistance(hashes[i] ?? '', hashes[j] ?? '')).toBeGreaterThan(70);
      }
    }
  });
});
