import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vectorSet } from '../../../fixtures/shared-vectors.js';
import { HexSource } from '../../../fixtures/hashset-files.js';
import { hex, readAll, readError, TempFiles } from './reading.js';

const files = new TempFiles();
afterAll(() => files.dispose());
const hashsets = vectorSet('hashsets');
const source = new HexSource(11);
const pdqs = Array.from({ length: 6 }, () => source.hex(64));
const md5s = Array.from({ length: 2 }, () => source.hex(32));

describe('PDQ lists: the shared ThreatExchange samples', () => {
  const dir = join(hashsets.dir, 'pdq');

  it.skipIf(!hashsets.present).each([
    ['threatexchange_needles.txt', 100],
    ['threatexchange_haystack.txt', 1350],
  ])('%s: %i PDQ hashes', async (name, count) => {
    const path = join(dir, name);
    const { reader, entries, malformed } = await readAll(path, 'pdq');
    expect(reader.format).toBe('pdq');
    expect(malformed.count).toBe(0);
    expect(entries).toHaveLength(count);
    expect(entries.every((e) => e.pdq?.length === 32 && e.pdqQuality === null && e.md5 === null)).toBe(true);
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
    expect(entries.map((e) => hex(e.pdq))).toEqual(lines.map((l) => l.trim().toLowerCase()));
  });

  it.skipIf(!hashsets.present)('PDQMD5TestData.csv: 16 PDQ rows and 2 MD5 rows, the MD5s kept as MD5 entries', async () => {
    for (const format of ['pdq', 'auto'] as const) {
      const { reader, entries, malformed } = await readAll(join(dir, 'threatexchange_PDQMD5TestData.csv'), format);
      expect(reader.format).toBe('pdq');
      expect(malformed.count).toBe(0);
      expect(entries.filter((e) => e.pdq !== null)).toHaveLength(16);
      const videos = entries.filter((e) => e.md5 !== null);
      expect(videos.map((e) => [hex(e.md5), e.pdq])).toEqual([
        ['0a21c8f85a55a9e276ffc2c53f6887c4', null],
        ['9ffbb242d27f51a14e9c3633abead255', null],
      ]);
      expect(entries[0]?.fileName).toBe('../../../../data/misc-images/b.jpg');
    }
  });

  it.skipIf(!hashsets.present)('bare 64-hex needles under auto are ambiguous (SHA-256 or PDQ)', async () => {
    expect((await readError(join(dir, 'threatexchange_needles.txt'), 'auto')).code).toBe('ambiguous');
  });
});

describe('PDQ lists', () => {
  it('reads hex, hex,quality, hex<TAB>quality and hex,quality,name lines; comments and blanks skipped', async () => {
    const path = files.write(
      'hashes.txt',
      ['# pdq-photo-hasher output', pdqs[0], `${pdqs[1]?.toUpperCase()},100`, `${pdqs[2]}\t49`, `${pdqs[3]},80,photos/a, b.jpg`, '', `  ${pdqs[4]}  `].join('\n'),
    );
    const { reader, entries, malformed } = await readAll(path, 'auto');
    expect(reader.format).toBe('pdq');
    expect(malformed.count).toBe(0);
    expect(entries.map((e) => [hex(e.pdq), e.pdqQuality, e.fileName])).toEqual([
      [pdqs[0], null, null],
      [pdqs[1], 100, null],
      [pdqs[2], 49, null],
      [pdqs[3], 80, 'photos/a, b.jpg'],
      [pdqs[4], null, null],
    ]);
  });

  it('reads a TSV with a header naming the hash and quality columns', async () => {
    const path = files.write('te.tsv', ['signal_value\tquality\tname', `${pdqs[0]}\t90\tx.jpg`, `${md5s[0]}\t\tclip.mp4`].join('\n'));
    const { entries } = await readAll(path, 'pdq');
    expect(entries.map((e) => [hex(e.pdq), e.pdqQuality, hex(e.md5), e.fileName])).toEqual([
      [pdqs[0], 90, null, 'x.jpg'],
      [null, null, md5s[0], 'clip.mp4'],
    ]);
  });

  it('a CSV whose header names a pdq column is detected as such', async () => {
    const path = files.write('export.csv', ['PDQ Hash,Quality', `${pdqs[0]},77`].join('\n'));
    const { reader, entries } = await readAll(path, 'auto');
    // A header naming PDQ is a generic CSV under auto; the pdq format reads it the same way.
    expect(reader.format).toBe('csv');
    expect(entries.map((e) => [hex(e.pdq), e.pdqQuality])).toEqual([[pdqs[0], 77]]);
    expect((await readAll(path, 'pdq')).entries.map((e) => [hex(e.pdq), e.pdqQuality])).toEqual([[pdqs[0], 77]]);
  });

  it('reports bad lines: wrong length, non-hex, quality out of range', async () => {
    const path = files.write('bad-pdq.txt', [pdqs[0], `${pdqs[1]?.slice(0, 63)}`, `${pdqs[2]?.slice(0, 63)}x`, `${pdqs[3]},101`, `${pdqs[4]},high`, pdqs[5]].join('\n'));
    const { entries, malformed } = await readAll(path, 'pdq');
    expect(entries.map((e) => hex(e.pdq))).toEqual([pdqs[0], pdqs[5]]);
    expect(malformed.first.map((m) => [m.line, m.reason])).toEqual([
      [2, `'${pdqs[1]?.slice(0, 37)}...' is not a PDQ hash (64 hex digits) or an MD5 (32)`],
      [3, `'${pdqs[2]?.slice(0, 37)}...' is not 64 hex digits`],
      [4, "quality '101' is not a whole number 0-100"],
      [5, "quality 'high' is not a whole number 0-100"],
    ]);
  });

  it('refuses files that are not PDQ lists before any entry', async () => {
    const md5List = files.write('md5s.txt', `${md5s[0]}\n${md5s[1]}\n`);
    expect((await readError(md5List, 'pdq')).message).toBe('not a PDQ list: no 64-hex PDQ hash in its first lines');
    const named = files.write('sha256sum.txt', `${pdqs[0]}  a.jpg\n`);
    expect((await readError(named, 'pdq')).message).toBe("not a PDQ list: line 1 is neither 'hex[,quality]' nor a header naming a pdq or hash column");
    const json = files.write('x.json', '{"@odata.context": "x#Media", "value": []}');
    expect((await readError(json, 'pdq')).code).toBe('wrong-format');
  });
});
