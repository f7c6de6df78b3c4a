import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLocator, zipEntryLocator, type Locator } from '../../../electron/intake/locator.js';
import { openLocator, readLocator } from '../../../electron/intake/read.js';
import { listZip, zipLimits, type ZipListing } from '../../../electron/intake/zip-listing.js';
import { snapshotTree } from '../../fixtures/tree-snapshot.js';
import { craftZip, setFlagBits, yazlZip, zeros } from '../../fixtures/zips.js';

let base: string;
let root: string;
let before: Map<string, string>;
const MiB = 1024 * 1024;
const at = (name: string): Locator => fileLocator(join(root, name));
const text = (i: number) => Buffer.from(`benign content ${i}`);

const unicodePathField = (raw: string, unicode: string): Buffer => {
  const data = Buffer.concat([Buffer.from([1]), Buffer.alloc(4), Buffer.from(unicode, 'utf8')]);
  data.writeUInt32LE(crc32(Buffer.from(raw, 'latin1')), 1);
  const header = Buffer.alloc(4);
  header.writeUInt16LE(0x7075, 0);
  header.writeUInt16LE(data.length, 2);
  return Buffer.concat([header, data]);
};

const NAMES: readonly { stored: Buffer | string; utf8?: boolean; extra?: Buffer; name: string; rawName: string; issues: string | null }[] = [
  { stored: '../../escape.txt', name: 'escape.txt', rawName: '../../escape.txt', issues: 'parent-directory segments' },
  { stored: '/abs/path.txt', name: 'abs/path.txt', rawName: '/abs/path.txt', issues: 'absolute path' },
  { stored: 'C:\\win\\x.txt', name: 'win/x.txt', rawName: 'C:\\win\\x.txt', issues: 'backslash separators, drive letter' },
  { stored: '..\\..\\evil.txt', name: 'evil.txt', rawName: '..\\..\\evil.txt', issues: 'backslash separators, parent-directory segments' },
  { stored: 'a//b.txt', name: 'a/b.txt', rawName: 'a//b.txt', issues: 'empty segments' },
  { stored: 'nul\0byte.txt', name: 'nul\\x00byte.txt', rawName: 'nul\0byte.txt', issues: 'NUL byte' },
  { stored: '..', name: '(no name)', rawName: '..', issues: 'parent-directory segments' },
  { stored: 'ok/./fine.txt', name: 'ok/fine.txt', rawName: 'ok/./fine.txt', issues: null },
  { stored: 'photo\u202egpj.exe', name: 'photo\\xe2\\x80\\xaegpj.exe', rawName: 'photo\u202egpj.exe', issues: null },
  { stored: Buffer.from([0x81, 0x78, 0x2e, 0x74]), name: 'üx.t', rawName: 'üx.t', issues: null }, // CP437, no UTF-8 flag
  { stored: Buffer.from([0x66, 0xff, 0x2e, 0x74]), utf8: true, name: 'f\\xff.t', rawName: 'hex:66ff2e74', issues: null }, // flag lies
  { stored: Buffer.from('legacy.txt', 'latin1'), extra: unicodePathField('legacy.txt', 'ñandú.txt'), name: 'ñandú.txt', rawName: 'legacy.txt', issues: null },
];

async function list(name: string, limits = zipLimits()): Promise<ZipListing> {
  return listZip(at(name), limits);
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'custos-zip-hostile-'));
  root = join(base, 'source');
  mkdirSync(root);
  const write = (name: string, bytes: Buffer) => writeFileSync(join(root, name), bytes);
  write(
    'names.zip',
    craftZip(
      NAMES.map((n, i) => ({
        name: n.stored,
        data: text(i),
        ...(n.utf8 === true ? { flags: 0x800 } : {}),
        ...(n.extra === undefined ? {} : { extra: n.extra }),
      })),
    ),
  );
  write('encrypted.zip', setFlagBits(await yazlZip([{ name: 'plain.txt', data: text(1) }, { name: 'secret.txt', data: text(2) }]), 1, 0x1));
  write('bomb.zip', await yazlZip([{ name: 'zeros.bin', stream: () => zeros(64 * MiB) }, { name: 'note.txt', data: text(3) }]));
  write('liar.zip', craftZip([{ name: 'liar.bin', data: Buffer.alloc(8 * MiB), method: 8, declaredSize: 1000 }]));
  write('short.zip', craftZip([{ name: 'short.bin', data: randomBytes(1000), method: 8, declaredSize: 1500 }]));
  write('crc.zip', craftZip([{ name: 'crc.bin', data: text(4), crc32: 0xdeadbeef }]));
  write(
    'odd.zip',
    craftZip([
      { name: 'stored-liar.bin', data: text(5), declaredSize: 99 },
      { name: 'lzma.bin', data: text(6), method: 14 },
      { name: 'undated.txt', data: text(7), dosDate: 0, dosTime: 0 },
      { name: 'dated.txt', data: text(8) },
      { name: 'overflow.bin', data: text(9), method: 8, declaredCompressedSize: 10_000 },
    ]),
  );
  const honest = await yazlZip(Array.from({ length: 20 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.alloc(600, 0x61 + (i % 26)) })));
  write('twenty.zip', honest);
  write('tail-cut.zip', honest.subarray(0, honest.length - 10));
  write('middle-cut.zip', Buffer.concat([honest.subarray(0, 100), honest.subarray(400)]));
  write('text.zip', Buffer.from('This is plain text, not an archive.\n'));
  write('random.zip', randomBytes(4096));
  write('empty.zip', Buffer.alloc(0));
  before = snapshotTree(root);
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('hostile names', () => {
  it('neutralises traversal, absolute, drive, backslash, empty and NUL names, keeping the raw name', async () => {
    const { entries, refused } = await list('names.zip');
    expect(refused).toBeNull();
    expect(entries.map((e) => [e.name, e.rawName, e.reason])).toEqual(
      NAMES.map((n) => [n.name, n.rawName, n.issues === null ? null : `unsafe name neutralised (${n.issues})`]),
    );
    for (const e of entries) {
      expect(e.name.startsWith('/') || e.name.split('/').includes('..') || e.name.includes('\\\\')).toBe(false);
      expect(e.kind).toBe('file');
    }
  });

  it('reads each of them by locator, the right bytes', async () => {
    const { entries } = await list('names.zip');
    for (const e of entries) {
      const bytes = await readLocator(zipEntryLocator(at('names.zip'), e.index, e.name), 100);
      expect(bytes.equals(text(e.index)), e.name).toBe(true);
    }
  });
});

describe('entries that are not read', () => {
  it('flags an encrypted entry and never reads it', async () => {
    const { entries } = await list('encrypted.zip');
    expect(entries.map((e) => [e.name, e.kind, e.reason])).toEqual([
      ['plain.txt', 'file', null],
      ['secret.txt', 'encrypted', 'encrypted: not read'],
    ]);
    await expect(openLocator(zipEntryLocator(at('encrypted.zip'), 1, 'secret.txt'))).rejects.toMatchObject({ code: 'encrypted' });
    expect((await readLocator(zipEntryLocator(at('encrypted.zip'), 0, 'plain.txt'), 100)).equals(text(1))).toBe(true);
  });

  it('refuses a zip-bomb entry by its expansion ratio, before inflating anything', async () => {
    const { entries, refused } = await list('bomb.zip');
    expect(refused).toBeNull();
    expect(entries[0]).toMatchObject({ name: 'zeros.bin', kind: 'refused', size: 64 * MiB });
    expect(entries[0]?.reason).toMatch(/^expansion ratio \d+:1 exceeds the 200:1 limit \(zip bomb\?\)$/);
    expect(entries[1]).toMatchObject({ name: 'note.txt', kind: 'file' });
    await expect(openLocator(zipEntryLocator(at('bomb.zip'), 0, 'zeros.bin'))).rejects.toMatchObject({ code: 'limit' });
  });

  it('stops reading an entry whose header lies about its size, within the declared bytes', async () => {
    const { entries } = await list('liar.zip');
    expect(entries[0]).toMatchObject({ kind: 'file', size: 1000 });
    const { stream } = await openLocator(zipEntryLocator(at('liar.zip'), 0, 'liar.bin'));
    let received = 0;
    const drain = async () => {
      for await (const chunk of stream) received += (chunk as Buffer).length;
    };
    await expect(drain()).rejects.toMatchObject({ code: 'limit', message: expect.stringMatching(/inflates beyond its declared size/) });
    expect(received).toBeLessThanOrEqual(1000);
  });

  it('fails a short entry and a CRC mismatch as corrupt', async () => {
    await expect(readLocator(zipEntryLocator(at('short.zip'), 0, 'short.bin'), 1e6)).rejects.toMatchObject({ code: 'corrupt' });
    await expect(readLocator(zipEntryLocator(at('crc.zip'), 0, 'crc.bin'), 1e6)).rejects.toMatchObject({
      code: 'corrupt',
      message: 'CRC-32 mismatch: entry data is damaged',
    });
  });

  it('refuses entries with lying stored sizes or unknown methods, and lists the rest with DOS times', async () => {
    const { entries, refused } = await list('odd.zip');
    expect(refused).toBeNull();
    expect(entries.map((e) => [e.name, e.kind, e.reason, e.mtime])).toEqual([
      ['stored-liar.bin', 'refused', 'stored entry whose declared sizes disagree (16 stored, 99 declared)', '2020-03-04T05:06:06.000'],
      ['lzma.bin', 'refused', 'unsupported compression method 14 (lzma)', '2020-03-04T05:06:06.000'],
      ['undated.txt', 'file', null, null],
      ['dated.txt', 'file', null, '2020-03-04T05:06:06.000'],
      ['overflow.bin', 'refused', 'entry data lies beyond the end of the archive (truncated?)', '2020-03-04T05:06:06.000'],
    ]);
    await expect(openLocator(zipEntryLocator(at('odd.zip'), 1, 'lzma.bin'))).rejects.toMatchObject({ code: 'unsupported' });
    expect((await readLocator(zipEntryLocator(at('odd.zip'), 3, 'dated.txt'), 100)).equals(text(8))).toBe(true);
  });
});

describe('archives refused whole', () => {
  it.each([
    ['tail-cut.zip', 'not a zip archive, or truncated (no end-of-central-directory record)'],
    ['text.zip', 'not a zip archive, or truncated (no end-of-central-directory record)'],
    ['random.zip', 'not a zip archive, or truncated (no end-of-central-directory record)'],
    ['empty.zip', 'not a zip archive, or truncated (no end-of-central-directory record)'],
  ])('%s: %s', async (name, reason) => {
    expect(await list(name)).toEqual({ entries: [], refused: reason });
  });

  it('refuses an archive cut in the middle with a one-line reason', async () => {
    expect(await list('middle-cut.zip')).toEqual({ entries: [], refused: 'corrupt zip: bad central directory record (truncated or damaged)' });
  });

  it('refuses an archive with more entries than the limit, before listing any', async () => {
    const limits = zipLimits({ maxEntries: 10 });
    expect(await list('twenty.zip', limits)).toEqual({ entries: [], refused: 'archive has 20 entries; the limit is 10' });
    expect((await list('twenty.zip')).entries).toHaveLength(20);
    await expect(openLocator(zipEntryLocator(at('twenty.zip'), 0, 'f0.txt'), limits)).rejects.toMatchObject({ code: 'limit' });
  });

  it('refuses an archive whose entries declare more than the total expansion limit', async () => {
    expect(await list('twenty.zip', zipLimits({ maxTotalExpandedBytes: 5000 }))).toEqual({
      entries: [],
      refused: 'entries declare more than 4.9 KiB when expanded (the limit; zip bomb?)',
    });
  });

  it('answers a missing archive with a refusal, not an exception', async () => {
    expect(await list('missing.zip')).toEqual({ entries: [], refused: 'not found (removed since it was listed?)' });
  });
});

describe('the source', () => {
  it('was never written to', () => {
    expect(snapshotTree(root)).toEqual(before);
  });

  it('holds no descriptor open after refusals, errors and abandoned streams', async () => {
    const openFds = () => readdirSync('/proc/self/fd').length;
    const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
    await settle();
    const start = openFds();
    for (let i = 0; i < 20; i += 1) {
      await list('text.zip');
      await list('middle-cut.zip');
      await openLocator(zipEntryLocator(at('bomb.zip'), 0, 'zeros.bin')).catch(() => undefined);
      await readLocator(zipEntryLocator(at('crc.zip'), 0, 'crc.bin'), 100).catch(() => undefined);
      await readLocator(zipEntryLocator(at('liar.zip'), 0, 'liar.bin'), 100).catch(() => undefined);
      await readLocator(zipEntryLocator(at('names.zip'), 1, 'abs/path.txt'), 3);
      (await openLocator(zipEntryLocator(at('twenty.zip'), 5, 'f5.txt'))).stream.destroy();
      (await openLocator(at('twenty.zip'))).stream.destroy();
    }
    await settle();
    expect(openFds()).toBe(start);
  });
});
