import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HashSetFormatError } from '../../../../electron/matching/importers/index.js';
import { vectorSet } from '../../../fixtures/shared-vectors.js';
import { hex, readAll, readError, TempFiles } from './reading.js';

const files = new TempFiles();
afterAll(() => files.dispose());
const hashsets = vectorSet('hashsets');

const digest = (algorithm: string, text: string) => createHash(algorithm).update(text).digest('hex');
const md5 = (t: string) => digest('md5', t);
const sha1 = (t: string) => digest('sha1', t);
const sha256 = (t: string) => digest('sha256', t);

describe('plain lists: the shared md5sum samples', () => {
  const dir = join(hashsets.dir, 'md5sum');

  it.skipIf(!hashsets.present)("sleuthkit's testmd5.dat: 28 entries in `hash *name` form", async () => {
    const { reader, entries, malformed } = await readAll(join(dir, 'sleuthkit_testmd5.dat'), 'auto');
    expect(reader.format).toBe('md5');
    expect(entries).toHaveLength(28);
    expect(new Set(entries.map((e) => hex(e.md5))).size).toBe(28);
    expect(malformed.count).toBe(0);
    expect(entries[0]?.fileName).toBe('blkcalc.exe');
  });

  it.skipIf(!hashsets.present)('hashdeep md5deep.txt: 4 entries with their paths', async () => {
    const { entries } = await readAll(join(dir, 'hashdeep_md5deep.txt'), 'md5');
    expect(entries.map((e) => e.fileName)).toEqual(['/Users/jessek/a.out', '/Users/jessek/foo.cpp', '/Users/jessek/foo.cpp~', '/Users/jessek/nasm-2.02.tar.bz2']);
  });

  it.skipIf(!hashsets.present)('hashdeep known.txt: 1 entry, the junk line malformed', async () => {
    const { entries, malformed } = await readAll(join(dir, 'hashdeep_known.txt'), 'auto');
    expect(entries.map((e) => [hex(e.md5), e.fileName])).toEqual([['07ff3b8f4f2990192b595ca148d284bd', 'ChangeLog']]);
    expect(malformed).toEqual({ count: 1, first: [{ line: 2, reason: 'not a hex digest, `hash  name`, or `MD5 (name) = hash`' }] });
  });

  it.skipIf(!hashsets.present)('hashdeep bsd-hashes.txt: 5 entries in `MD5 (f) = h` form', async () => {
    const { reader, entries } = await readAll(join(dir, 'hashdeep_bsd-hashes.txt'), 'auto');
    expect(reader.format).toBe('md5');
    expect(entries).toHaveLength(5);
    expect(entries[0]?.fileName).toBe('copying.txt');
    expect(hex(entries[0]?.md5 ?? null)).toBe('555b3e940c86b35d6e0c9976a05b3aa5');
  });

  it.skipIf(!hashsets.present)('hashdeep md5deep-size.txt (size-prefixed) is not an md5sum list', async () => {
    const asMd5 = await readError(join(dir, 'hashdeep_md5deep-size.txt'), 'md5');
    expect(asMd5).toBeInstanceOf(HashSetFormatError);
    expect(asMd5.message).toBe('not an md5 list: its first lines are not md5 digests (6 hex digits where md5 has 32)');
    expect((await readError(join(dir, 'hashdeep_md5deep-size.txt'), 'auto')).code).toBe('wrong-format');
  });
});

describe('plain lists', () => {
  it('reads md5sum text and binary forms, escaped names, BSD lines, bare hex, any case; skips blanks and comments', async () => {
    const path = files.write(
      'list.md5',
      [
        '# a comment',
        '',
        `${md5('a')}  a.txt`,
        `${md5('b').toUpperCase()} *b.bin`,
        `\\${md5('c')}  dir\\\\with\\nnewline.txt`,
        `MD5 (name with spaces.jpg) = ${md5('d')}`,
        md5('e'),
        `   ${md5('f')}\tf.txt`,
        `${md5('g')}  name ending in spaces  `,
        '   # an indented comment',
        '',
      ].join('\r\n'),
    );
    const { reader, entries, malformed } = await readAll(path, 'auto');
    expect(reader.format).toBe('md5');
    expect(malformed.count).toBe(0);
    expect(entries.map((e) => [hex(e.md5), e.fileName])).toEqual([
      [md5('a'), 'a.txt'],
      [md5('b'), 'b.bin'],
      [md5('c'), 'dir\\with\nnewline.txt'],
      [md5('d'), 'name with spaces.jpg'],
      [md5('e'), null],
      [md5('f'), 'f.txt'],
      [md5('g'), 'name ending in spaces  '],
    ]);
    expect(entries.every((e) => e.sha1 === null && e.sha256 === null)).toBe(true);
  });

  it.each([
    ['sha1', sha1, 'SHA1'],
    ['sha256', sha256, 'SHA256'],
  ] as const)('reads %s lists (auto infers it from the length)', async (format, digest, bsd) => {
    const path = files.write(`list.${format}`, `${digest('a')}  a.txt\n${bsd} (b.txt) = ${digest('b')}\n`);
    for (const asked of ['auto', format] as const) {
      const { reader, entries } = await readAll(path, asked);
      expect(reader.format).toBe(format);
      expect(entries.map((e) => hex(e[format]))).toEqual([digest('a'), digest('b')]);
    }
  });

  it('reports bad lines with their numbers and keeps the good ones', async () => {
    const path = files.write(
      'mixed.md5',
      [md5('a'), 'hello world!', `${md5('b').slice(0, 31)}  short.txt`, sha1('c'), `${md5('d').slice(0, 31)}z  nonhex.txt`, `SHA1 (x) = ${sha1('x')}`, md5('e')].join('\n'),
    );
    const { entries, malformed } = await readAll(path, 'md5');
    expect(entries.map((e) => hex(e.md5))).toEqual([md5('a'), md5('e')]);
    expect(malformed).toEqual({
      count: 5,
      first: [
        { line: 2, reason: 'not a hex digest, `hash  name`, or `MD5 (name) = hash`' },
        { line: 3, reason: '31 hex digits where md5 has 32' },
        { line: 4, reason: '40 hex digits where md5 has 32' },
        { line: 5, reason: 'not a hex digest, `hash  name`, or `MD5 (name) = hash`' },
        { line: 6, reason: 'a sha1 line in a md5 list' },
      ],
    });
  });

  it('reports only the first 20 malformed lines, but counts them all', async () => {
    const lines = [md5('ok'), ...Array.from({ length: 30 }, (_, i) => `junk ${i}`)];
    const { entries, malformed } = await readAll(files.write('junk.md5', lines.join('\n')), 'md5');
    expect(entries).toHaveLength(1);
    expect(malformed.count).toBe(30);
    expect(malformed.first).toHaveLength(20);
    expect(malformed.first[19]?.line).toBe(21);
  });

  it('refuses a list whose first lines hold no md5, even with one further down', async () => {
    const lines = [`${md5('a').slice(0, 30)}zz`, ...Array.from({ length: 300 }, (_, i) => `junk ${i}`), md5('late')];
    const error = await readError(files.write('late.md5', lines.join('\n')), 'md5');
    expect(error.code).toBe('wrong-format');
    expect(error.message).toBe('not an md5 list: its first lines are not md5 digests (not a hex digest, `hash  name`, or `MD5 (name) = hash`)');
  });

  it('refuses a file of another digest, or not a list at all, before any entry', async () => {
    const sha1List = files.write('sha1.txt', `${sha1('a')}  a\n${sha1('b')}  b\n`);
    expect((await readError(sha1List, 'md5')).message).toBe('not an md5 list: its first lines are not md5 digests (40 hex digits where md5 has 32)');
    expect((await readError(sha1List, 'sha256')).message).toMatch(/^not a sha256 list/);
    const json = files.write('x.json', '{"odata.metadata": "x", "value": []}');
    expect((await readError(json, 'md5')).message).toMatch(/^not an md5 list/);
    const binary = files.write('x.bin', Buffer.from([0, 1, 2, 3, 0, 0]));
    expect((await readError(binary, 'sha1')).message).toBe('not a sha1 list: binary data');
  });

  it('an empty list opened as md5 is an empty set; auto cannot tell what it is', async () => {
    const empty = files.write('empty.md5', '');
    expect((await readAll(empty, 'md5')).entries).toEqual([]);
    expect((await readError(empty, 'auto')).message).toBe('cannot tell the format of an empty file');
    const comments = files.write('comments.md5', '# nothing\n\n');
    expect((await readAll(comments, 'md5')).entries).toEqual([]);
  });

  it('bare 64-hex lines are SHA-256 or PDQ: auto asks, unless the file name says', async () => {
    const lines = `${sha256('a')}\n${sha256('b')}\n`;
    const error = await readError(files.write('bare.txt', lines), 'auto');
    expect(error.code).toBe('ambiguous');
    expect(error.message).toBe('cannot tell the format: bare 64-hex lines could be SHA-256 digests or PDQ hashes; name the format (sha256, csv or pdq)');
    expect((await readAll(files.write('bare.sha256', lines), 'auto')).reader.format).toBe('sha256');
    expect((await readAll(files.write('known-pdq.txt', lines), 'auto')).reader.format).toBe('pdq');
    // With names it is sha256sum output.
    expect((await readAll(files.write('named.txt', `${sha256('a')}  a.jpg\n`), 'auto')).reader.format).toBe('sha256');
  });

  it('reads a UTF-16LE list with a byte-order mark, and a UTF-8 one with a BOM', async () => {
    const text = `${md5('a')}  niño.jpg\n${md5('b')}  b.jpg\n`;
    const utf16 = files.write('utf16.md5', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect((await readAll(utf16, 'auto')).entries.map((e) => e.fileName)).toEqual(['niño.jpg', 'b.jpg']);
    const utf8 = files.write('bom.md5', `\uFEFF${text}`);
    expect((await readAll(utf8, 'md5')).entries.map((e) => hex(e.md5))).toEqual([md5('a'), md5('b')]);
  });

  it('streams a list bigger than its read chunks, a line split across chunks intact', async () => {
    const lines = Array.from({ length: 60_000 }, (_, i) => `${md5(String(i))}  file-${i}-ñ.jpg`);
    const { entries, batches } = await readAll(files.write('big.md5', lines.join('\n')), 'md5');
    expect(entries).toHaveLength(60_000);
    expect(batches.every((b) => b <= 5000)).toBe(true);
    expect(entries[59_999]?.fileName).toBe('file-59999-ñ.jpg');
    expect(entries.map((e) => hex(e.md5))).toEqual(lines.map((_, i) => md5(String(i))));
  });
});
