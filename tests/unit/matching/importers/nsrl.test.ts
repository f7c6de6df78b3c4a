import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { BULK_DIGEST_WIDTH, HashSetFormatError, openHashSet, type BulkChunk } from '../../../../electron/matching/importers/index.js';
import { BATCH_SIZE } from '../../../../electron/matching/importers/types.js';
import { vectorSet } from '../../../fixtures/shared-vectors.js';
import { PK_FILE_TABLE, rdsRows, type RdsRow } from '../../../fixtures/hashset-files.js';
import { hex, readAll, readError, TempFiles } from './reading.js';

const files = new TempFiles();
afterAll(() => files.dispose());
const hashsets = vectorSet('hashsets');

const RDS2_HEADER = '"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"';

describe('NSRL RDS v2 / 1.5 text: the shared NIST samples', () => {
  const dir = join(hashsets.dir, 'nsrl_rds_v2');

  it.skipIf(!hashsets.present).each([
    ['RDS-000001-20', 'RDSv2'],
    ['RDS-000001-15', 'RDS 1.5'],
  ])('%s/NSRLFile.txt: 218 rows, 138 distinct SHA-1s and MD5s (%s)', async (release, version) => {
    const { reader, entries, malformed } = await readAll(join(dir, release, 'NSRLFile.txt'), 'auto');
    expect(reader.format).toBe('nsrl');
    expect(reader.version).toBe(version);
    expect(malformed.count).toBe(0);
    expect(entries).toHaveLength(218);
    expect(new Set(entries.map((e) => hex(e.sha1))).size).toBe(138);
    expect(new Set(entries.map((e) => hex(e.md5))).size).toBe(138);
    expect(entries.every((e) => e.extra?.ProductCode === 1 && e.extra.OpSystemCode === 'WIN' && e.category === null)).toBe(true);
    expect(hex(entries[0]?.sha1 ?? null)).toBe('00d1034546f530d746131ce2a28a052db21652ec');
    expect(entries[0]).toMatchObject({ fileName: 'INFODESK.IC$', fileSize: 503 });
  });

  it.skipIf(!hashsets.present)('RDS 1.5 and 2.0 give the same entries, whatever the column order', async () => {
    const v2 = (await readAll(join(dir, 'RDS-000001-20', 'NSRLFile.txt'), 'nsrl')).entries;
    const v15 = (await readAll(join(dir, 'RDS-000001-15', 'NSRLFile.txt'), 'nsrl')).entries;
    expect(v15).toEqual(v2);
  });

  it.skipIf(!hashsets.present)("hashdeep's nsrlfile.txt: 2 rows, the empty file's with its odd name kept as given", async () => {
    const { entries } = await readAll(join(dir, 'hashdeep_tests_nsrlfile.txt'), 'nsrl');
    expect(entries).toHaveLength(2);
    expect(hex(entries[1]?.md5 ?? null)).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(entries[1]).toMatchObject({ fileName: '    ___', fileSize: 0, extra: { ProductCode: 7828, OpSystemCode: 'OS8' } });
  });

  it.skipIf(!hashsets.present)('the other RDS tables (NSRLProd.txt) are not hash sets', async () => {
    expect((await readError(join(dir, 'RDS-000001-20', 'NSRLProd.txt'), 'nsrl')).message).toMatch(/^not an NSRL RDS file: its first line is not a header naming/);
  });
});

describe('NSRL RDS v2 text', () => {
  const sha1 = 'A'.repeat(40);
  const md5 = 'B'.repeat(32);

  it('reads quoted names with commas and quotes, and reports bad rows', async () => {
    const path = files.write(
      'NSRLFile.txt',
      [
        RDS2_HEADER,
        `"${sha1}","${md5}","00000000","a, b ""c"".dll",10,5,"WIN","M"`,
        `"${sha1.slice(1)}","${md5}","00000000","short-sha1",10,5,"WIN",""`,
        `"${sha1}","${md5}","00000000","unclosed,10,5,"WIN",""`,
        `"${sha1}","${md5}","00000000","too few",10,5`,
        `"${sha1}","${md5}","00000000","bad size",ten,5,"WIN",""`,
        `"","${md5}","00000000","md5 only",1,5,"WIN",""`,
      ].join('\r\n'),
    );
    const { entries, malformed } = await readAll(path, 'auto');
    expect(entries.map((e) => [hex(e.sha1), e.fileName, e.extra])).toEqual([
      [sha1.toLowerCase(), 'a, b "c".dll', { ProductCode: 5, OpSystemCode: 'WIN', SpecialCode: 'M' }],
      [null, 'md5 only', { ProductCode: 5, OpSystemCode: 'WIN' }],
    ]);
    expect(malformed.first).toEqual([
      { line: 3, reason: `SHA-1 '${sha1.slice(1)}' is not 40 hex digits` },
      { line: 4, reason: 'a quoted field is not closed on its line' },
      { line: 5, reason: '6 fields where the header has 8' },
      { line: 6, reason: "FileSize 'ten' is not a whole number" },
    ]);
  });

  it('throws at the end when no row could be read', async () => {
    const path = files.write('all-bad.txt', [RDS2_HEADER, '"x","y","z","n",1,1,"WIN",""'].join('\n'));
    const error = await readError(path, 'nsrl');
    expect(error.code).toBe('no-entries');
    expect(error.message).toBe("not an NSRL RDS file: could not read its only record (line 2: SHA-1 'x' is not 40 hex digits)");
  });

  it('refuses a file without the RDS header before any entry', async () => {
    const error = await readError(files.write('list.txt', `${md5}  a.dll\n`), 'nsrl');
    expect(error).toBeInstanceOf(HashSetFormatError);
    expect(error.message).toBe('not an NSRL RDS file: its first line is not a header naming "SHA-1", "MD5", "FileName" and "ProductCode"');
  });
});

/** An RDSv3-shaped database: the official schema when ../shared has it, else `ddl`. */
function rdsDatabase(name: string, ddl: string, rows: Iterable<RdsRow>, version?: readonly string[]): string {
  const path = files.path(name);
  const db = new Database(path);
  try {
    db.exec(ddl);
    const insert = db.prepare('INSERT INTO FILE (sha256, sha1, md5, crc32, file_name, file_size, package_id) VALUES (?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const r of rows) insert.run(r.sha256, r.sha1, r.md5, r.crc32, r.fileName, r.fileSize, r.packageId);
    })();
    if (version !== undefined) db.prepare('INSERT INTO VERSION (version, build_set, release_date, description) VALUES (?, ?, ?, ?)').run(...version);
  } finally {
    db.close();
  }
  return path;
}

const MINIMAL_FILE_TABLE = `CREATE TABLE FILE (sha256 TEXT, sha1 TEXT, md5 TEXT, crc32 TEXT, file_name TEXT, file_size INTEGER, package_id INTEGER);`;

/** Every file twice (a second package, a later name), a file with no MD5, and three bad rows. */
function listedTwice(count: number): RdsRow[] {
  const rows: RdsRow[] = [];
  for (const r of rdsRows(count, 11)) rows.push(r, { ...r, fileName: `z-${r.fileName}`, packageId: r.packageId + 1 });
  const base = { crc32: '0', fileSize: 1, packageId: 9 };
  rows.push({ ...base, sha256: 'E'.repeat(64), sha1: 'F'.repeat(40), md5: '', fileName: 'no-md5' });
  rows.push({ ...base, sha256: 'Z'.repeat(64), sha1: 'B'.repeat(40), md5: 'C'.repeat(32), fileName: 'not-hex' });
  rows.push({ ...base, sha256: 'A'.repeat(64), sha1: 'B'.repeat(40), md5: 'C'.repeat(30), fileName: 'short-md5' });
  rows.push({ ...base, sha256: '', sha1: '', md5: '', fileName: 'none' });
  return rows;
}

describe('NSRL RDSv3 (SQLite)', () => {
  const schemaPath = join(hashsets.dir, 'nsrl_rds_v3', 'RDS_2025.03.1_modern_minimal.schema.sql');

  it.skipIf(!hashsets.present)('reads a database built from the official schema, with the real sample tuples', async () => {
    const real = readFileSync(join(hashsets.dir, 'nsrl_rds_v3', 'AlbertasG_test_hashes.txt'), 'utf8')
      .split('\n')
      .slice(0, 7)
      .filter((l) => /^[0-9A-F]{64},/.test(l))
      .map((l, i): RdsRow => {
        const [sha256 = '', sha1 = '', md5 = '', crc32 = ''] = l.trim().split(',');
        return { sha256, sha1, md5, crc32, fileName: `real-${i}`, fileSize: 100 + i, packageId: 289308 };
      });
    expect(real).toHaveLength(5);
    const synthetic = [...rdsRows(1000)];
    const path = rdsDatabase('official.db', readFileSync(schemaPath, 'utf8'), [...real, ...synthetic], ['2025.03.1', 'minimal', '2025-03-01', 'synthetic test release']);
    const { reader, entries, malformed } = await readAll(path, 'auto');
    expect(reader.format).toBe('nsrl');
    expect(reader.version).toBe('RDSv3');
    expect(reader.properties).toMatchObject({ version: '2025.03.1', build_set: 'minimal', description: 'synthetic test release' });
    expect(malformed.count).toBe(0);
    expect(entries).toHaveLength(1005);
    // The primary key orders a rowid table's scan only by rowid: rows come back in insertion order.
    const first = entries.find((e) => e.fileName === 'real-0');
    expect(hex(first?.sha256 ?? null)).toBe('0000202989c986a8dd5e370ff72af50a939e1b401adfa43088ce4573c4303eb8');
    expect(hex(first?.sha1 ?? null)).toBe('ac91942638dd44d8e25cca35a781769379f8f85f');
    expect(hex(first?.md5 ?? null)).toBe('7348caa0c1a861be46b86a464dcbc142');
    expect(first).toMatchObject({ fileSize: 100, extra: { package_id: 289308 }, category: null });
  });

  it('streams in batches with progress, and takes FILE as a view too (full releases)', async () => {
    const path = files.path('view.db');
    const db = new Database(path);
    db.exec(`CREATE TABLE M (sha256 TEXT, sha1 TEXT, md5 TEXT, crc32 TEXT, file_name TEXT, file_size INTEGER, package_id INTEGER);
      CREATE VIEW FILE AS SELECT * FROM M;`);
    const insert = db.prepare('INSERT INTO M VALUES (?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const r of rdsRows(12_345)) insert.run(r.sha256, r.sha1, r.md5, r.crc32, r.fileName, r.fileSize, r.packageId);
    })();
    db.close();
    const reader = await openHashSet(path, 'nsrl');
    const seen: number[] = [];
    let count = 0;
    for await (const batch of reader.entries()) {
      count += batch.length;
      seen.push(reader.bytesRead());
    }
    expect(count).toBe(12_345);
    expect(reader.bytesRead()).toBe(reader.totalBytes);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    await reader.close();
  });

  it('reports progress by rowid on a table, and stops cleanly when closed part-way', async () => {
    const path = rdsDatabase('table.db', MINIMAL_FILE_TABLE, rdsRows(4 * BATCH_SIZE));
    const reader = await openHashSet(path, 'auto');
    const iterator = reader.entries()[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toHaveLength(BATCH_SIZE);
    expect(reader.bytesRead()).toBeGreaterThan(0.2 * reader.totalBytes);
    expect(reader.bytesRead()).toBeLessThan(0.3 * reader.totalBytes);
    await iterator.return?.();
    await reader.close();
    await reader.close();
  });

  it('reports rows whose hashes are not hex, and takes whichever hash columns a release has', async () => {
    const path = rdsDatabase('bad.db', MINIMAL_FILE_TABLE, [
      { sha256: 'A'.repeat(64), sha1: 'B'.repeat(40), md5: 'C'.repeat(32), crc32: '0', fileName: 'ok', fileSize: 1, packageId: 1 },
      { sha256: 'Z'.repeat(64), sha1: 'B'.repeat(40), md5: 'C'.repeat(32), crc32: '0', fileName: 'bad', fileSize: 1, packageId: 1 },
      { sha256: '', sha1: '', md5: '', crc32: '0', fileName: 'none', fileSize: 1, packageId: 1 },
    ]);
    const { entries, malformed } = await readAll(path, 'nsrl');
    expect(entries.map((e) => e.fileName)).toEqual(['ok']);
    expect(malformed.first).toEqual([
      { line: 2, reason: "row 2: sha256 'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ...' is not 64 hex digits" },
      { line: 3, reason: 'row 3: no sha256, sha1 or md5' },
    ]);
    const md5Only = files.path('md5only.db');
    const db = new Database(md5Only);
    db.exec("CREATE TABLE file (md5 TEXT, file_name TEXT) STRICT; INSERT INTO file VALUES ('" + 'd'.repeat(32) + "', 'x')");
    db.close();
    const read = await readAll(md5Only, 'auto');
    expect(read.entries.map((e) => [hex(e.md5), e.sha1, e.fileName, e.fileSize, e.extra])).toEqual([['d'.repeat(32), null, 'x', null, null]]);
  });

  it('hands over distinct files in bulk along the primary key: first listing by name, digests packed, bad rows reported', async () => {
    const rows = listedTwice(30_000);
    const path = rdsDatabase('bulk.db', PK_FILE_TABLE, rows);
    const reader = await openHashSet(path, 'nsrl');
    const bulk = reader.bulkEntries?.();
    expect(bulk).toBeTruthy();
    const chunks: BulkChunk[] = [];
    for await (const chunk of bulk as AsyncIterable<BulkChunk>) chunks.push(chunk);
    await reader.close();
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.reduce((n, c) => n + c.entries, 0)).toBe(30_001);
    expect(chunks.reduce((n, c) => n + c.rowsRead, 0)).toBe(60_001);
    const expected = new Map<string, RdsRow>();
    for (const r of rows) if (!expected.has(r.sha256.toLowerCase())) expected.set(r.sha256.toLowerCase(), r);
    let order = '';
    for (const chunk of chunks) {
      const listed = JSON.parse(Buffer.from(chunk.rows).toString('utf8')) as [string, number, number][];
      expect(listed).toHaveLength(chunk.entries);
      expect(chunk.digests.length).toBe(chunk.entries * BULK_DIGEST_WIDTH);
      const digests = Buffer.from(chunk.digests.buffer, chunk.digests.byteOffset, chunk.digests.byteLength);
      listed.forEach(([name, size, pkg], i) => {
        const at = i * BULK_DIGEST_WIDTH;
        const sha256 = digests.subarray(at, at + 32).toString('hex');
        const r = expected.get(sha256);
        expect(r, sha256).toBeDefined();
        expect(sha256 > order).toBe(true);
        order = sha256;
        expect(digests.subarray(at + 32, at + 52).toString('hex')).toBe(r?.sha1.toLowerCase());
        expect(digests.subarray(at + 52, at + 68).toString('hex')).toBe(r?.md5 === '' ? '0'.repeat(32) : r?.md5.toLowerCase());
        // The least name of the listings: 'file-N.dll' before 'z-file-N.dll'; size and package from that row.
        expect([name, size, pkg]).toEqual([r?.fileName, r?.fileSize, r?.packageId]);
      });
    }
    const malformed = reader.malformed();
    expect(malformed.count).toBe(3);
    expect(malformed.first.map((m) => m.reason.replace(/^row \d+: /, '')).sort()).toEqual([
      "md5 'CCCCCCCCCCCCCCCCCCCCCCCCCCCCCC' is not 32 hex digits",
      'no sha256, sha1 or md5',
      "sha256 'ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ...' is not 64 hex digits",
    ]);
  });

  it('offers no bulk path where grouping would need a sort in memory (no index on the digests)', async () => {
    const reader = await openHashSet(rdsDatabase('no-index.db', MINIMAL_FILE_TABLE, rdsRows(10)), 'nsrl');
    expect(reader.bulkEntries?.() ?? null).toBeNull();
    let count = 0;
    for await (const batch of reader.entries()) count += batch.length;
    expect(count).toBe(10);
    await reader.close();
  });

  it('refuses SQLite databases that are not RDSv3, and damaged ones, before any entry', async () => {
    const other = files.path('other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE items (id INTEGER)');
    db.close();
    expect((await readError(other, 'auto')).message).toBe('not an NSRL RDSv3 database: no FILE table');
    const noHashes = files.path('nohash.db');
    const db2 = new Database(noHashes);
    db2.exec('CREATE TABLE FILE (file_name TEXT)');
    db2.close();
    expect((await readError(noHashes, 'nsrl')).message).toBe('not an NSRL RDSv3 database: its FILE table has no sha256, sha1 or md5 column');
    const damaged = files.write('damaged.db', Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096, 0xaa)]));
    const error = await readError(damaged, 'nsrl');
    expect(error.code).toBe('wrong-format');
    expect(error.message).toMatch(/^not an NSRL RDSv3 database: /);
  });
});
