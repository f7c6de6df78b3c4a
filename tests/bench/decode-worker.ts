// The benchmark's peer for image analysis: the bare decode at the working size, nothing else.
import { readFile } from 'node:fs/promises';
import { decodeForHashing } from '../../electron/analysis/decode.js';

export default async function decodeOnly(path: string): Promise<number> {
  const bytes = await readFile(path);
  const image = await decodeForHashing(bytes);
  return image.width * image.height;
}
