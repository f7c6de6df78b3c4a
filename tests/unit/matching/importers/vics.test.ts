import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HashSetFormatError, openHashSet } from '../../../../electron/matching/importers/index.js';
import { BATCH_SIZE } from '../../../../electron/matching/importers/types.js';
import { vectorSet } from '../../../fixtures/shared-vectors.js';
import { HexSource } from '../../../fixtures/hashset-files.js';
import { hex, readAll, readError, TempFiles } from './reading.js';

const files = new TempFiles();
afterAll(() => files.dispose());
const hashsets = vectorSet('hashsets');

const V12 = 'http://github.com/ICMEC/ProjectVic/DataModels/1.2.xml#Media';
const v2 = (country: string, set = 'Media') => `http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/${country}/$metadata#${set}`;
const md5 = (n: number) => n.toString(16).padStart(32, '0');
const sha1 = (n: number) => n.toString(16).padStart(40, 'a');
const pdq = (n: number) => n.toString(16).padStart(64, 'b');

function vics1(value: unknown[]): string {
  return JSON.stringify({ 'odata.metadata': V12, value }, null, 2);
}

describe('VICS JSON: the NIST NSRL-CAID samples (VICS 1.2 #Media)', () => {
  const expected: Record<string, number> = { ART: 1, MPG: 3, MOV: 9, PSD: 26, AVI: 30, TIF: 31, WMV: 95 };

  it.skipIf(!hashsets.present).each(Object.entries(expected))('NSRL-CAID-%s.json has %i media', async (kind, count) => {
    const { reader, entries, malformed } = await readAll(join(hashsets.dir, 'vics_json', `NSRL-CAID-${kind}.json`), 'auto');
    expect(reader.format).toBe('vics');
    expect(reader.version).toBe('1.2');
    expect(reader.schemeHint).toBeNull();
    expect(reader.properties.shape).toBe('media');
    expect(malformed.count).toBe(0);
    expect(entries).toHaveLength(count);
    for (const e of entries) {
      expect(e.md5).toHaveLength(16);
      expect(e.sha1).toHaveLength(20);
      expect(e.category).toBe(8);
      expect(e.extra).toEqual({ MediaID: 0 });
      expect(typeof e.fileSize).toBe('number'); // MediaSize is a string in CAID
      expect(e.fileName).not.toBeNull(); // from its one MediaFile
    }
    expect(new Set(entries.map((e) => hex(e.md5))).size).toBe(count);
  });

  it.skipIf(!hashsets.present)('reads 195 media in all, the ART one exactly', async () => {
    const dir = join(hashsets.dir, 'vics_json');
    let total = 0;
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) total += (await readAll(join(dir, name), 'vics')).entries.length;
    expect(total).toBe(195);
    const [art] = (await readAll(join(dir, 'NSRL-CAID-ART.json'), 'vics')).entries;
    expect(hex(art?.md5 ?? null)).toBe('588cd1c0e48916d8e7403310402d0a68');
    expect(hex(art?.sha1 ?? null)).toBe('e65706b487c73e992bab2a50707a9fd8b0bd6866');
    expect(art).toMatchObject({ fileName: 'build2.art', fileSize: 488, category: 8, series: null, victimIdentified: null, photoDna: null, pdq: null });
  });
});

describe('VICS JSON 1.x', () => {
  it('takes a blockhash from AlternativeHashes, and reports one that is not 64 hex digits', async () => {
    const path = files.write(
      'v2-blockhash.json',
      JSON.stringify({
        '@odata.context': 'http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/US/$metadata#Media',
        value: [
          { MD5: md5(5), Category: 1, AlternativeHashes: [{ HashName: 'Blockhash', HashValue: pdq(5).toUpperCase() }] },
          { Category: 2, AlternativeHashes: [{ HashName: 'blockhash', HashValue: pdq(6) }] },
          { MD5: md5(7), AlternativeHashes: [{ HashName: 'Blockhash', HashValue: 'abc' }] },
        ],
      }),
    );
    const { entries, malformed } = await readAll(path, 'auto');
    expect(entries.map((e) => [hex(e.md5), hex(e.blockhash), hex(e.pdq), e.category, e.extra])).toEqual([
      [md5(5), pdq(5), null, 1, null],
      [null, pdq(6), null, 2, null],
    ]);
    expect(malformed.first).toEqual([{ line: 1, reason: "media 3: AlternativeHashes blockhash 'abc' is not 64 hex digits" }]);
  });

  it('takes PhotoDNA and PDQ from AlternativeHashes, flags and numbers given as strings, and keeps null apart from 0', async () => {
    const path = files.write(
      'v13.json',
      '\uFEFF' +
        JSON.stringify({
          'odata.metadata': 'http://github.com/ICMEC/ProjectVic/DataModels/1.3.xml#Media',
          value: [
            {
              MD5: md5(1).toUpperCase(),
              SHA1: sha1(1),
              Category: '1',
              VictimIdentified: 'TRUE',
              IsPrecategorized: 'false',
              MediaSize: '1234',
              Series: 'Series A',
              MediaID: '17',
              Comments: 'benign test record',
              AlternativeHashes: [
                { HashName: 'PhotoDNA', HashValue: 'AAECAwQF' },
                { HashName: 'PDQ', HashValue: `${pdq(1)},87` },
                { HashName: 'TMK', HashValue: 'opaque' },
              ],
            },
            { MD5: md5(2), Category: 0, VictimIdentified: false },
            { MD5: md5(3), Category: null },
            { MD5: md5(4) },
          ],
        }),
    );
    const { reader, entries, malformed } = await readAll(path, 'auto');
    expect(reader.version).toBe('1.3');
    expect(malformed.count).toBe(0);
    const [a, b, c, d] = entries;
    expect(hex(a?.md5 ?? null)).toBe(md5(1));
    expect(a).toMatchObject({ category: 1, victimIdentified: true, fileSize: 1234, series: 'Series A', photoDna: 'AAECAwQF', pdqQuality: 87 });
    expect(hex(a?.pdq ?? null)).toBe(pdq(1));
    expect(a?.extra).toEqual({ IsPrecategorized: false, MediaID: 17, Comments: 'benign test record', AlternativeHashes: [{ HashName: 'TMK', HashValue: 'opaque' }] });
    expect(b).toMatchObject({ category: 0, victimIdentified: false });
    expect(c?.category).toBeNull();
    expect(d?.category).toBeNull();
  });

  it('reports malformed media with the line they start on and keeps the rest', async () => {
    const path = files.write(
      'bad.json',
      vics1([
        { MD5: md5(1), Category: 1 },
        { MD5: 'abc', Category: 1 },
        { MD5: `${md5(2).slice(0, 31)}g` },
        { MD5: md5(3), Category: 'A' },
        { MD5: md5(4), VictimIdentified: 'maybe' },
        { Comments: 'no hash at all' },
        42,
        { MD5: md5(5), SHA1: 'not-a-sha1' },
        { MD5: md5(6), Category: -1 },
        { MD5: md5(7), Category: 2 },
      ]),
    );
    const { entries, malformed } = await readAll(path, 'vics');
    expect(entries.map((e) => hex(e.md5))).toEqual([md5(1), md5(7)]);
    expect(malformed.count).toBe(8);
    expect(malformed.first.map((m) => m.reason)).toEqual([
      "media 2: MD5 'abc' is not 32 hex digits",
      `media 3: MD5 '${md5(2).slice(0, 31)}g' is not 32 hex digits`,
      "media 4: Category 'A' is not a whole number",
      "media 5: VictimIdentified 'maybe' is not true or false",
      'media 6: no MD5, SHA1, SHA256, PDQ or PhotoDNA',
      'media 7: not an object',
      "media 8: SHA1 'not-a-sha1' is not 40 hex digits",
      "media 9: Category '-1' is not a whole number",
    ]);
    // Pretty-printed: the first record opens on line 4; a record takes a line per field plus its braces.
    expect(malformed.first.map((m) => m.line)).toEqual([8, 12, 15, 19, 23, 26, 27, 31]);
  });

  it('throws at the end when no media could be read', async () => {
    const path = files.write('all-bad.json', vics1([{ MD5: 'x' }, { MD5: 'y' }]));
    const error = await readError(path, 'vics');
    expect(error).toBeInstanceOf(HashSetFormatError);
    expect(error.code).toBe('no-entries');
    expect(error.message).toBe("not a VICS JSON file: could not read any of its 2 records (line 4: media 1: MD5 'x' is not 32 hex digits)");
  });
});

describe('VICS JSON 2.0', () => {
  it('reads #Media with a direct PhotoDNA, PDQ direct or in AlternativeHashes, and the country as a scheme hint', async () => {
    const path = files.write(
      'v2-media.json',
      JSON.stringify({
        '@odata.context': v2('UK'),
        value: [
          { MD5: md5(1), SHA1: sha1(1), Category: 2, PhotoDNA: 'BASE64PHOTODNA==', PDQ: pdq(1), PDQQuality: 100, IsPrecategorized: true },
          { MD5: md5(2), AlternativeHashes: [{ HashName: 'pdq', HashValue: pdq(2).toUpperCase() }, { HashName: 'SHA-256', HashValue: pdq(9) }] },
        ],
      }),
    );
    const { reader, entries } = await readAll(path, 'auto');
    expect(reader.version).toBe('2.0');
    expect(reader.schemeHint).toBe('caid-uk');
    expect(reader.properties.metadata).toBe(v2('UK'));
    expect(entries[0]).toMatchObject({ photoDna: 'BASE64PHOTODNA==', pdqQuality: 100, category: 2, extra: { IsPrecategorized: true } });
    expect(hex(entries[0]?.pdq ?? null)).toBe(pdq(1));
    expect(hex(entries[1]?.pdq ?? null)).toBe(pdq(2));
    expect(hex(entries[1]?.sha256 ?? null)).toBe(pdq(9));
    expect(entries[1]?.pdqQuality).toBeNull();
  });

  it.each([
    ['US', 'vics-us'],
    ['Default', null],
    ['CUSTOM', null],
  ])('country %s hints scheme %s', async (country, scheme) => {
    const path = files.write(`v2-${country}.json`, JSON.stringify({ '@odata.context': v2(country), value: [{ MD5: md5(1) }] }));
    expect((await readAll(path, 'vics')).reader.schemeHint).toBe(scheme);
  });

  it('reads #Cases: every case’s media, one entry per distinct hash-bearing record', async () => {
    const path = files.write(
      'v2-cases.json',
      JSON.stringify({
        '@odata.context': v2('US', 'Cases'),
        value: [
          {
            CaseID: '00000000-0000-0000-0000-000000000001',
            CaseNumber: 'TEST-1',
            CaseMetadata: [{ PropertyName: 'x', PropertyValue: 'y' }],
            Media: [
              { MD5: md5(1), Category: 1, MediaFiles: [{ MD5: md5(1), FileName: 'a.jpg' }, { MD5: md5(1), FileName: 'copy-of-a.jpg' }] },
              {
                MD5: md5(2),
                SHA1: sha1(2),
                Category: 2,
                Series: 'S',
                MediaFiles: [
                  { MD5: md5(2), SHA1: sha1(2), FileName: 'b.jpg' },
                  { MD5: md5(22), FileName: 'b-other.jpg' },
                  { MD5: md5(22), FileName: 'b-other-again.jpg' },
                ],
              },
            ],
            Identifiers: [],
          },
          { CaseNumber: 'TEST-2', Media: [] },
          { CaseNumber: 'TEST-3', Media: [{ MD5: md5(3), Category: 0 }] },
        ],
      }),
    );
    const { reader, entries, malformed } = await readAll(path, 'auto');
    expect(reader.properties.shape).toBe('cases');
    expect(malformed.count).toBe(0);
    expect(entries.map((e) => [hex(e.md5), e.category, e.fileName])).toEqual([
      [md5(1), 1, 'a.jpg'],
      [md5(2), 2, 'b.jpg'],
      [md5(22), 2, 'b-other.jpg'],
      [md5(3), 0, null],
    ]);
    expect(entries[2]).toMatchObject({ series: 'S', sha1: null, extra: { ParentMD5: md5(2) } });
  });

  it('reads records across chunk boundaries, with UTF-8 names and escapes intact, in batches of at most BATCH_SIZE', async () => {
    const source = new HexSource(3);
    const names = ['niño ñandú.jpg', '日本語の名前.png', 'quote " and \\ backslash.gif', 'emoji 😀.jpg'];
    const value = Array.from({ length: 2.4 * BATCH_SIZE }, (_, i) => ({ MD5: source.hex(32), Category: i % 3, Comments: 'x'.repeat(i % 200), MediaFiles: [{ FileName: names[i % names.length] }] }));
    const path = files.write('v2-big.json', JSON.stringify({ '@odata.context': v2('US'), value }));
    // One line of megabytes, as exports often are: auto must not need a line break to recognise it.
    const { entries, batches, malformed } = await readAll(path, 'auto');
    expect(malformed.count).toBe(0);
    expect(batches).toEqual([BATCH_SIZE, BATCH_SIZE, 0.4 * BATCH_SIZE]);
    expect(entries.map((e) => e.fileName)).toEqual(value.map((v) => v.MediaFiles[0]?.FileName));
    expect(entries.map((e) => hex(e.md5))).toEqual(value.map((v) => v.MD5));
  });
});

describe('VICS JSON: files that are not, or not whole', () => {
  it.each([
    ['an md5 list', `${md5(1)}  a.jpg\n`, /^not a VICS JSON file: it does not start with a JSON object$/],
    ['JSON without OData metadata', JSON.stringify({ value: [{ MD5: md5(1) }] }), /^not a VICS JSON file: no odata\.metadata or @odata\.context before its value array$/],
    ['metadata after the value array', JSON.stringify({ value: [], 'odata.metadata': V12 }), /no odata\.metadata or @odata\.context before its value array/],
    ['a value that is not an array', JSON.stringify({ 'odata.metadata': V12, value: { MD5: md5(1) } }), /its value is not an array/],
    ['a JSON array', JSON.stringify([{ MD5: md5(1) }]), /^not a VICS JSON file: /],
    ['broken JSON at the start', '{"odata.metadata" "x"', /^not a VICS JSON file: line 1 expects ':'/],
  ])('refuses %s before any entry', async (_what, content, message) => {
    const path = files.write('not-vics.json', content);
    const error = await readError(path, 'vics');
    expect(error).toBeInstanceOf(HashSetFormatError);
    expect(error.message).toMatch(message);
  });

  it('refuses an entity set other than Media or Cases', async () => {
    const path = files.write('v2-ident.json', JSON.stringify({ '@odata.context': v2('US', 'Identifiers'), value: [] }));
    const error = await readError(path, 'vics');
    expect(error.code).toBe('unsupported');
    expect(error.message).toBe("unsupported VICS JSON: its metadata names '#Identifiers', not #Media or #Cases");
  });

  it('yields what it read of a truncated file, then throws so the caller rolls back', async () => {
    const whole = vics1(Array.from({ length: 12_000 }, (_, i) => ({ MD5: md5(i + 1) })));
    const path = files.write('truncated.json', whole.slice(0, Math.floor(whole.length * 0.75)));
    const reader = await openHashSet(path, 'vics');
    let seen = 0;
    await expect(
      (async () => {
        for await (const batch of reader.entries()) seen += batch.length;
      })(),
    ).rejects.toMatchObject({ code: 'corrupt', message: expect.stringMatching(/^the VICS JSON file breaks off at line \d+: it ends part-way \(truncated\?\)$/) });
    await reader.close();
    expect(seen).toBeGreaterThanOrEqual(5000);
  });

  it('an empty value array is an empty hash set, not an error', async () => {
    const path = files.write('empty.json', JSON.stringify({ '@odata.context': v2('US'), value: [] }));
    const { entries, malformed } = await readAll(path, 'vics');
    expect(entries).toEqual([]);
    expect(malformed.count).toBe(0);
  });
});
