// A small evidence folder generated for the intake test: benign synthetic content only (text,
// gradients, shapes, seeded noise), a file with the wrong extension, an empty file and a zip.
// Never a photograph, never anything of a person.
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { yazlZip } from '../../fixtures/zips.js';

export type EvidenceFile = { readonly path: string; readonly md5: string };

export type EvidenceFolder = {
  readonly root: string;
  /** Items the ingest must list: every file on disk (the zip included) plus every zip entry. */
  readonly expectedItems: number;
  /** An image cut short: hashed, but its decode fails and the item carries an error. */
  readonly damagedFile: string;
  /** Two files whose MD5 the test checks against the item list. */
  readonly textFile: EvidenceFile;
  readonly imageFile: EvidenceFile;
  remove(): Promise<void>;
};

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

function gradientPng(width: number, height: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      raw[i] = Math.round((x / width) * 255);
      raw[i + 1] = Math.round((y / height) * 255);
      raw[i + 2] = 128;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** Deterministic noise (a linear congruential generator), so every run hashes the same. */
function noisePng(width: number, height: number, seed: number): Promise<Buffer> {
  const raw = Buffer.alloc(width * height);
  let state = seed;
  for (let i = 0; i < raw.length; i += 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    raw[i] = state & 0xff;
  }
  return sharp(raw, { raw: { width, height, channels: 1 } }).png().toBuffer();
}

function shapesJpeg(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="100%" height="100%" fill="#dfe7f1"/>
    <circle cx="${width * 0.3}" cy="${height * 0.4}" r="${height * 0.25}" fill="#2f5d9e"/>
    <rect x="${width * 0.55}" y="${height * 0.2}" width="${width * 0.3}" height="${height * 0.5}" fill="#a4262c"/>
    <polygon points="${width * 0.1},${height * 0.9} ${width * 0.5},${height * 0.6} ${width * 0.9},${height * 0.9}" fill="#1e6b3a"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

export async function makeEvidenceFolder(): Promise<EvidenceFolder> {
  const root = await mkdtemp(join(tmpdir(), 'custos-evidence-'));
  await mkdir(join(root, 'documents'));
  await mkdir(join(root, 'images'));

  const notes = Buffer.from('Synthetic exhibit notes for the Custos intake test.\nNothing here is real.\n');
  const inventory = Buffer.from('item,colour\n1,blue\n2,red\n3,green\n');
  const gradient = await gradientPng(320, 200);
  const shapes = await shapesJpeg(300, 240);
  const noise = await noisePng(96, 96, 7);
  const inner = await gradientPng(64, 48);

  const files: readonly (readonly [string, Buffer])[] = [
    ['documents/notes.txt', notes],
    ['documents/inventory.csv', inventory],
    ['images/gradient.png', gradient],
    ['images/shapes.jpg', shapes],
    ['images/noise.png', noise],
    // A JPEG dressed as text: type detection must look at the bytes, not the name.
    ['images/not-really.txt', await shapesJpeg(120, 90)],
    ['empty.bin', Buffer.alloc(0)],
    // The first bytes of a PNG only, as a damaged or half-copied file would be: it cannot decode.
    ['images/truncated.png', gradient.subarray(0, 64)],
    [
      'archive.zip',
      await yazlZip([
        { name: 'inside/readme.txt', data: Buffer.from('A text file inside the synthetic archive.\n') },
        { name: 'inside/small-gradient.png', data: inner },
      ]),
    ],
  ];
  for (const [name, data] of files) await writeFile(join(root, name), data);

  return {
    root,
    expectedItems: files.length + 2,
    damagedFile: 'images/truncated.png',
    textFile: { path: join(root, 'documents/notes.txt'), md5: md5(notes) },
    imageFile: { path: join(root, 'images/gradient.png'), md5: md5(gradient) },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
