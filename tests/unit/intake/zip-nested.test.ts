import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ArchiveCache } from '../../../electron/intake/archive-cache.js';
import { displayPath, fileLocator, zipEntryLocator, type Locator } from '../../../electron/intake/locator.js';
import { openLocator, readLocator } from '../../../electron/intake/read.js';
import { walkFolder } from '../../../electron/intake/walker.js';
import { ZipArchive } from '../../../electron/intake/zip-archive.js';
import { listZip, zipLimits, type ZipEntry } from '../../../electron/intake/zip-listing.js';
import { snapshotTree } from '../../fixtures/tree-snapshot.js';
import { yazlZip } from '../../fixtures/zips.js';

let base: string;
let root: string;
let before: Map<string, string>;
let outer: Locator;
const content = {
  top: Buffer.from('top level benign text'),
  mid: Buffer.from('middle level benign text'),
  deep: Buffer.from('deepest benign text'),
  pixels: randomBytes(300_000), // incompressible and several chunks long
};
const many = Array.from({ length: 400 }, (_, i) => Buffer.from(`entry ${i} `.repeat(1 + (i % 7))));

const roundTrip = (locator: Locator): Locator => JSON.parse(JSON.stringify(locator)) as Locator;

async function listed(container: Locator, limits = zipLimits(), cache?: ArchiveCache): Promise<readonly ZipEntry[]> {
  const listing = await listZip(roundTrip(container), limits, cache);
  expect(listing.refused).toBeNull();
  return listing.entries;
}

async function child(container: Locator, name: string): Promise<Locator> {
  const entry = (await listed(container)).find((e) => e.name === name);
  if (entry === undefined) throw new Error(`no ${name}`);
  return zipEntryLocator(container, entry.index, entry.name);
}

/** Expands zips the way ingest does (here by name; ingest detects them by content). */
async function expand(container: Locator, cache?: ArchiveCache): Promise<Map<string, Locator>> {
  const found = new Map<string, Locator>();
  for (const entry of await listed(container, zipLimits(), cache)) {
    if (entry.kind !== 'file') continue;
    const locator = zipEntryLocator(container, entry.index, entry.name);
    if (entry.name.endsWith('.zip')) for (const [k, v] of await expand(locator, cache)) found.set(k, v);
    else found.set(displayPath(locator, root), locator);
  }
  return found;
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'custos-zip-nested-'));
  root = join(base, 'source');
  mkdirSync(join(root, 'photos'), { recursive: true });
  const c = await yazlZip([
    { name: 'deep.txt', data: content.deep },
    { name: 'pixels.bin', data: content.pixels },
  ]);
  const b = await yazlZip([
    { name: 'mid.txt', data: content.mid },
    { name: 'inner/', directory: true },
    { name: 'inner/c.zip', data: c },
  ]);
  const a = await yazlZip([
    { name: 'top.txt', data: content.top },
    { name: 'b.zip', data: b, compress: false },
  ]);
  writeFileSync(join(root, 'photos', '2019.zip'), a);
  writeFileSync(join(root, 'many.zip'), await yazlZip(many.map((data, i) => ({ name: `n/${String(i).padStart(4, '0')}.txt`, data }))));
  writeFileSync(
    join(root, 'kinds.zip'),
    await yazlZip([
      { name: 'folder/', directory: true },
      { name: 'folder/link', data: Buffer.from('../../outside/target'), mode: 0o120777 },
      { name: 'dated.txt', data: Buffer.from('dated'), mtime: new Date('2019-07-08T09:10:11Z') },
    ]),
  );
  outer = fileLocator(join(root, 'photos', '2019.zip'));
  before = snapshotTree(root);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('nested zips', () => {
  it('lists a zip found by the walker, with sizes, kinds and times', async () => {
    const files: Locator[] = [];
    for await (const entry of walkFolder(root)) if (entry.kind === 'file') files.push(entry.locator);
    expect(files.map((l) => displayPath(l, root))).toEqual(['kinds.zip', 'many.zip', 'photos/2019.zip']);
    const entries = await listed(outer);
    expect(entries.map((e) => [e.index, e.name, e.kind, e.size])).toEqual([
      [0, 'top.txt', 'file', content.top.length],
      [1, 'b.zip', 'file', expect.any(Number)],
    ]);
    expect(entries[0]).toMatchObject({ rawName: 'top.txt', mtime: '2021-06-15T10:20:30.000Z', reason: null });
  });

  it('reads every entry of a zip in a zip in a zip byte-exact through JSON-serialised locators', async () => {
    const found = await expand(outer);
    expect([...found.keys()]).toEqual([
      'photos/2019.zip!/top.txt',
      'photos/2019.zip!/b.zip!/mid.txt',
      'photos/2019.zip!/b.zip!/inner/c.zip!/deep.txt',
      'photos/2019.zip!/b.zip!/inner/c.zip!/pixels.bin',
    ]);
    const expected = [content.top, content.mid, content.deep, content.pixels];
    for (const [i, locator] of [...found.values()].entries()) {
      const opened = await openLocator(roundTrip(locator));
      const chunks: Buffer[] = [];
      for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
      expect(opened.size).toBe(expected[i]?.length);
      expect(Buffer.concat(chunks).equals(expected[i] ?? Buffer.alloc(1))).toBe(true);
    }
    const deep = found.get('photos/2019.zip!/b.zip!/inner/c.zip!/pixels.bin');
    if (deep === undefined) throw new Error('missing');
    expect((await readLocator(deep, 16)).equals(content.pixels.subarray(0, 16))).toBe(true);
  });

  it('with a worker cache, reads entries in any order by seeking, the same bytes', async () => {
    const cache = new ArchiveCache();
    const found = await expand(outer, cache);
    for (const [name, locator] of [...found].reverse()) {
      const bytes = await readLocator(locator, 1e9, zipLimits(), cache);
      expect(bytes.length, name).toBeGreaterThan(0);
    }
    const container = fileLocator(join(root, 'many.zip'));
    const entries = await listed(container, zipLimits(), cache);
    expect(entries).toHaveLength(many.length);
    const order = entries.map((e) => e.index).sort((x, y) => ((x * 7919) % 401) - ((y * 7919) % 401));
    const steps = vi.spyOn(ZipArchive.prototype, 'next');
    for (const index of order) {
      const entry = entries[index];
      if (entry === undefined) throw new Error('missing');
      const bytes = await readLocator(zipEntryLocator(container, index, entry.name), 1e6, zipLimits(), cache);
      expect(bytes.equals(many[index] ?? Buffer.alloc(0)), entry.name).toBe(true);
    }
    // Listing remembered every central directory offset: each read took one step, not index + 1.
    expect(steps).toHaveBeenCalledTimes(order.length);
    steps.mockClear();
    // Without a cache the same locators read the same bytes, walking from the start.
    const last = entries[entries.length - 1];
    if (last === undefined) throw new Error('missing');
    expect((await readLocator(zipEntryLocator(container, last.index, last.name), 1e6)).equals(many[last.index] ?? Buffer.alloc(0))).toBe(true);
    expect(steps).toHaveBeenCalledTimes(many.length);
    steps.mockRestore();
  });

  it('records directory and symlink entries (a symlink is never resolved) and extended timestamps', async () => {
    const entries = await listed(fileLocator(join(root, 'kinds.zip')));
    expect(entries.map((e) => [e.name, e.kind, e.mtime])).toEqual([
      ['folder', 'directory', '2021-06-15T10:20:30.000Z'],
      ['folder/link', 'symlink', '2021-06-15T10:20:30.000Z'],
      ['dated.txt', 'file', '2019-07-08T09:10:11.000Z'],
    ]);
    const link = zipEntryLocator(fileLocator(join(root, 'kinds.zip')), 1, 'folder/link');
    // Its bytes are the stored target text, nothing the target points to.
    expect((await readLocator(link, 100)).toString()).toBe('../../outside/target');
    await expect(openLocator(zipEntryLocator(fileLocator(join(root, 'kinds.zip')), 0, 'folder'))).rejects.toMatchObject({
      code: 'not-a-file',
    });
  });

  it('refuses a locator whose name does not match its index, or whose index does not exist', async () => {
    await expect(openLocator(zipEntryLocator(outer, 0, 'b.zip'))).rejects.toMatchObject({ code: 'mismatch' });
    await expect(openLocator(zipEntryLocator(outer, 7, 'top.txt'))).rejects.toMatchObject({ code: 'not-found' });
    await expect(openLocator(zipEntryLocator(outer, -1, 'top.txt'))).rejects.toMatchObject({ code: 'not-found' });
  });

  it('stops at the nesting depth limit, when listing and when reading', async () => {
    const b = await child(outer, 'b.zip');
    const c = await child(b, 'inner/c.zip');
    const deep = await child(c, 'deep.txt');
    const shallow = zipLimits({ maxNestingDepth: 2 });
    expect((await listZip(outer, shallow)).refused).toBeNull();
    expect((await listZip(b, shallow)).refused).toBeNull();
    expect(await listZip(c, shallow)).toEqual({ entries: [], refused: 'archive nested 2 levels deep: not opened (the limit is 2)' });
    await expect(openLocator(deep, shallow)).rejects.toMatchObject({ code: 'limit', message: 'archives nested 3 deep exceed the limit of 2' });
    expect((await readLocator(deep, 100, zipLimits({ maxNestingDepth: 3 }))).equals(content.deep)).toBe(true);
  });

  it('refuses a nested archive larger than the in-memory limit', async () => {
    const b = await child(outer, 'b.zip');
    const listing = await listZip(b, zipLimits({ maxNestedArchiveBytes: 1000 }));
    expect(listing.entries).toEqual([]);
    expect(listing.refused).toMatch(/^nested archive of [\d.]+ KiB exceeds the 1000 bytes in-memory limit$/);
  });

  it('never wrote to the source tree', () => {
    expect(snapshotTree(root)).toEqual(before);
  });
});
