// The header-led text formats: HashKeeper, INTERPOL ICSE, and generic CSV / TSV.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vectorSet } from '../../../fixtures/shared-vectors.js';
import { HexSource } from '../../../fixtures/hashset-files.js';
import { hex, readAll, readError, TempFiles } from './reading.js';

const files = new TempFiles();
afterAll(() => files.dispose());
const hashsets = vectorSet('hashsets');
const source = new HexSource(9);
const md5 = Array.from({ length: 8 }, () => source.hex(32));
const sha1 = Array.from({ length: 8 }, () => source.hex(40));
const sha256 = Array.from({ length: 8 }, () => source.hex(64));

describe('HashKeeper .hsh', () => {
  it.skipIf(!hashsets.present).each([
    ['Z00236_original_ndic_crlf.hsh', 6993],
    ['Z00236.hsh', 6994],
  ])('%s: %i rows', async (name, count) => {
    const { reader, entries, malformed } = await readAll(join(hashsets.dir, 'hashkeeper', name), 'auto');
    expect(reader.format).toBe('hashkeeper');
    expect(malformed.count).toBe(0);
    expect(entries).toHaveLength(count);
    expect(hex(entries[0]?.md5 ?? null)).toBe('9497acf3cf8a2e90ae82dae37b6373e4');
    expect(entries[0]).toMatchObject({ fileName: 'acsetups.pdb', fileSize: 91136, extra: { hashset_id: 671 } });
    expect(entries.every((e) => e.extra?.hashset_id === 671)).toBe(true);
  });

  it.skipIf(!hashsets.present)("the modified copy's added row has a lowercase hash", async () => {
    const { entries } = await readAll(join(hashsets.dir, 'hashkeeper', 'Z00236.hsh'), 'hashkeeper');
    expect(entries.at(-1)).toMatchObject({ fileName: 'child-image.jpg', fileSize: 2361 });
    expect(hex(entries.at(-1)?.md5 ?? null)).toMatch(/^b24defa2.*218b$/);
  });

  it.skipIf(!hashsets.present)('the .hke set description is not a hash set', async () => {
    expect((await readError(join(hashsets.dir, 'hashkeeper', 'Z00236.hke'), 'hashkeeper')).message).toBe(
      'not a HashKeeper file: its first line is not a header naming "hash", "hashset_id" and "file_name"',
    );
  });

  it('reports bad rows and keeps directory and comments', async () => {
    const header = '"file_id","hashset_id","file_name","directory","hash","file_size","date_modified","time_modified","time_zone","comments","date_accessed","time_accessed"';
    const path = files.write(
      'set.hsh',
      [header, `1,9,"a.jpg","C:\\x",${md5[0]},10,,,,"seen twice",,`, `2,9,"b.jpg",,"${md5[1]?.slice(1)}",10,,,,,,`, `3,9,"c.jpg",,"${md5[2]}",-1,,,,,,`].join('\r\n'),
    );
    const { entries, malformed } = await readAll(path, 'hashkeeper');
    expect(entries.map((e) => [hex(e.md5), e.extra])).toEqual([[md5[0], { hashset_id: 9, directory: 'C:\\x', comments: 'seen twice' }]]);
    expect(malformed.first.map((m) => m.line)).toEqual([3, 4]);
  });
});

describe('INTERPOL ICSE CSV (generated from the header IPED quotes: no public sample exists)', () => {
  const FULL = 'MD5;SHA1;ZZ40;PhotoDNA;Lace;Image ID;Is distributed;Victim identified;Offender identified;Series name;Investigation name;Agency;Number of submissions;File Available;Media Type;Baseline';
  const REDUCED = 'MD5;SHA1;PhotoDNA;Image ID;Is distributed;Victim identified;Offender identified;Series name;Number of submissions;File Available;Media Type;Baseline';

  it('reads the full header, flags as Y/N and True/False, extra columns under their names', async () => {
    const path = files.write(
      'icse.csv',
      [
        FULL,
        `${md5[0]};${sha1[0]};${'AB'.repeat(16)};${'CD'.repeat(144)};bGFjZQ==;IMG-1;Y;N;N;Series One;Op Test;Unit;3;True;Image;Yes`,
        `${md5[1]};;;;;IMG-2;N;Y;N;;;;1;False;Video;No`,
        `${md5[2]};${sha1[2]};;;;IMG-3;N;perhaps;N;;;;1;False;Image;No`,
      ].join('\r\n'),
    );
    const { reader, entries, malformed } = await readAll(path, 'auto');
    expect(reader.format).toBe('icse');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ victimIdentified: false, series: 'Series One', photoDna: 'CD'.repeat(144), category: null });
    expect(hex(entries[0]?.sha1 ?? null)).toBe(sha1[0]);
    expect(entries[0]?.extra).toEqual({
      ZZ40: 'AB'.repeat(16),
      Lace: 'bGFjZQ==',
      'Image ID': 'IMG-1',
      'Is distributed': true,
      'Offender identified': false,
      'Investigation name': 'Op Test',
      Agency: 'Unit',
      'Number of submissions': 3,
      'File Available': true,
      'Media Type': 'Image',
      Baseline: true,
    });
    expect(entries[1]).toMatchObject({ victimIdentified: true, sha1: null, photoDna: null, series: null });
    expect(malformed.first).toEqual([{ line: 4, reason: "Victim identified 'perhaps' is not Y/N" }]);
  });

  it('reads the reduced header IPED expects, and a Category column where there is one', async () => {
    const path = files.write('icse-reduced.csv', [`${REDUCED};Category`, `${md5[3]};${sha1[3]};;IMG-9;N;N;N;;1;True;Image;No;1`].join('\n'));
    const { reader, entries } = await readAll(path, 'icse');
    expect(reader.format).toBe('icse');
    expect(entries[0]).toMatchObject({ category: 1, victimIdentified: false });
  });

  it('refuses a comma CSV or a plain list as ICSE', async () => {
    expect((await readError(files.write('comma.csv', `MD5,Image ID\n${md5[0]},1\n`), 'icse')).message).toMatch(/^not an ICSE CSV file: its first line is not a ';' header/);
    expect((await readError(files.write('list.txt', `${md5[0]}  a\n`), 'icse')).code).toBe('wrong-format');
  });
});

describe('generic CSV', () => {
  it.each([
    [',', 'csv'],
    [';', 'semicolon'],
    ['\t', 'tab'],
  ])("detects the delimiter '%s' and finds hash columns by common names (%s)", async (d) => {
    const header = ['File Name', 'MD5 Hash', 'SHA-1', 'SHA256', 'Category', 'Size', 'Series', 'Notes'].join(d);
    const rows = [
      ['"a, b.jpg"', md5[0]?.toUpperCase(), sha1[0], sha256[0], '1', '100', 'S1', 'first'],
      ['c.jpg', md5[1], '', '', '', '', '', ''],
    ].map((r) => r.join(d));
    const path = files.write(`generic-${d === '\t' ? 'tab' : d === ';' ? 'semi' : 'comma'}.csv`, [header, ...rows].join('\n'));
    const { reader, entries, malformed } = await readAll(path, 'auto');
    expect(reader.format).toBe('csv');
    expect(malformed.count).toBe(0);
    expect(entries.map((e) => [e.fileName, hex(e.md5), hex(e.sha1), hex(e.sha256), e.category, e.fileSize, e.series, e.extra])).toEqual([
      ['a, b.jpg', md5[0], sha1[0], sha256[0], 1, 100, 'S1', { Notes: 'first' }],
      ['c.jpg', md5[1], null, null, null, null, null, null],
    ]);
  });

  it("reads a column named only 'hash' by its length (never as PDQ), and PDQ, PhotoDNA, quality and victim columns", async () => {
    const path = files.write('mixed.csv', ['hash,pdq,quality,photodna,victim identified', `${md5[0]},,,,`, `${sha1[1]},,,,yes`, `${sha256[2]},${sha256[3]},60,AAAA,false`].join('\n'));
    const { entries } = await readAll(path, 'csv');
    expect(entries.map((e) => [hex(e.md5), hex(e.sha1), hex(e.sha256), hex(e.pdq), e.pdqQuality, e.photoDna, e.victimIdentified])).toEqual([
      [md5[0], null, null, null, null, null, null],
      [null, sha1[1], null, null, null, null, true],
      [null, null, sha256[2], sha256[3], 60, 'AAAA', false],
    ]);
  });

  it('reads a blockhash column (the unit\'s own lists), alone or beside other hashes, and reports a bad one', async () => {
    const blockhash = [source.hex(64), source.hex(64)];
    const path = files.write('blockhash.csv', ['Blockhash,md5,file_name', `${blockhash[0]},,a.jpg`, `${blockhash[1]?.toUpperCase()},${md5[0]},b.jpg`, 'abc,,c.jpg'].join('\n'));
    const { reader, entries, malformed } = await readAll(path, 'auto');
    expect(reader.format).toBe('csv');
    expect(entries.map((e) => [hex(e.blockhash), hex(e.md5), hex(e.pdq), e.fileName])).toEqual([
      [blockhash[0], null, null, 'a.jpg'],
      [blockhash[1], md5[0], null, 'b.jpg'],
    ]);
    expect(malformed.first).toEqual([{ line: 4, reason: "Blockhash 'abc' is not 64 hex digits" }]);
  });

  it("under auto, a 'hash' column of 64-hex values is SHA-256 or PDQ: it asks unless the name says", async () => {
    const content = ['path,hash', `a.jpg,${sha256[0]}`].join('\n');
    expect((await readError(files.write('hashes.csv', content), 'auto')).code).toBe('ambiguous');
    expect((await readAll(files.write('hashes-pdq.csv', content), 'auto')).reader.format).toBe('pdq');
    expect((await readAll(files.write('hashes-sha256.csv', content), 'auto')).reader.format).toBe('csv');
    expect((await readAll(files.write('md5s.csv', ['path,hash', `a.jpg,${md5[0]}`].join('\n')), 'auto')).reader.format).toBe('csv');
  });

  it('skips # comment lines, reports bad rows, and throws at the end when no row is valid', async () => {
    const path = files.write('commented.csv', ['# exported by a unit tool', 'md5,category', `${md5[0]},2`, '# a note', `${md5[1]},A`, `${md5[2]?.slice(2)},1`, `${md5[3]},1,extra`].join('\n'));
    const { entries, malformed } = await readAll(path, 'auto');
    expect(entries.map((e) => [hex(e.md5), e.category])).toEqual([[md5[0], 2]]);
    expect(malformed.first).toEqual([
      { line: 5, reason: "category 'A' is not a whole number" },
      { line: 6, reason: `md5 '${md5[2]?.slice(2)}' is not 32 hex digits` },
      { line: 7, reason: '3 fields where the header has 2' },
    ]);
    const allBad = files.write('allbad.csv', ['md5,name', 'nothex,a', ',b'].join('\n'));
    const error = await readError(allBad, 'csv');
    expect(error.code).toBe('no-entries');
    expect(error.message).toBe("not a hash-set CSV file: could not read any of its 2 records (line 2: md5 'nothex' is not 32 hex digits)");
  });

  it('refuses a file whose header names no hash column', async () => {
    expect((await readError(files.write('people.csv', 'name,age\nx,1\n'), 'csv')).message).toBe(
      'not a hash-set CSV file: its first line is not a header naming a hash column (md5, sha1, sha256, pdq, blockhash, photodna or hash)',
    );
    expect((await readError(files.write('people2.csv', 'name,age\nx,1\n'), 'auto')).message).toMatch(/^not a hash-set format this workstation reads \(line 1: 'name,age'\)/);
  });
});
