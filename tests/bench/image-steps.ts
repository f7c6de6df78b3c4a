// npm run bench:image-steps -- DIR: where the time of one image's analysis goes, step by step,
// on one thread, over the JPEGs in DIR (default: the 12 MP set made by bench:ingest).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeForHashing } from '../../electron/analysis/decode.js';
import { DigestBatch } from '../../electron/analysis/digest-batch.js';
import { readExif } from '../../electron/analysis/exif.js';
import { nativeKernels } from '../../electron/analysis/native-kernels.js';
import { imagePass } from '../../electron/analysis/image-pass.js';
import { encodeThumbnail } from '../../electron/analysis/thumbnail.js';
import { BENCH_DIR } from './bench-data.js';

const dir = process.argv[2] ?? join(BENCH_DIR, 'jpeg-12mp-500');
const files = readdirSync(dir)
  .filter((f) => /\.jpe?g$/i.test(f))
  .slice(0, 40)
  .map((f) => join(dir, f));
const totals = new Map<string, number>();

async function step<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const result = await run();
  totals.set(name, (totals.get(name) ?? 0) + performance.now() - t0);
  return result;
}

for (const file of files) {
  const bytes = await step('read', () => readFileSync(file));
  // Alone in its batch: MD5 in one lane (the pool's workers batch up to 16, measured below).
  await step('digests', () => new DigestBatch().later(bytes).digests());
  const image = await step('decode', () => decodeForHashing(bytes));
  // PDQ, blockhash and the thumbnail's block average: one pass over the pixels (native kernels).
  const pass = await step('pixel pass', () => imagePass(image, true));
  await step('thumbnail', () => (pass.thumbnailSource === null ? null : encodeThumbnail(pass.thumbnailSource)));
  await step('exif', () => readExif(bytes));
}
// The digests as a worker computes them with a hand of images: 16 in one batch.
const held = files.slice(0, 16).map((file) => readFileSync(file));
const batch = new DigestBatch();
await step('digests, 16 in a batch', () => Promise.all(held.map((bytes) => batch.later(bytes).digests())));
totals.set('digests, 16 in a batch', (totals.get('digests, 16 in a batch') ?? 0) * (files.length / held.length));
console.log(`${files.length} images from ${dir}, native kernels ${nativeKernels ? 'on' : 'off'}, one thread:`);
for (const [name, ms] of totals) console.log(`  ${name.padEnd(10)} ${(ms / files.length).toFixed(1)} ms`);
