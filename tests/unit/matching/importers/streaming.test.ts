// Memory stays flat whatever the file size: a million-entry VICS 2.0 file and a million-row RDSv3
// database are read in a child process (so the RSS measured is the reader's alone), and the speed
// is printed. Target for a whole import with the store is 200 000 entries/s; the reader alone
// should be well above that.
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { lastLineOfChild } from '../../../fixtures/child-process.js';
import { rdsRows, writeVics2MediaFile } from '../../../fixtures/hashset-files.js';
import { TempFiles } from './reading.js';

const files = new TempFiles();
afterAll(() => files.dispose());
const CHILD = fileURLToPath(new URL('./read-in-child.ts', import.meta.url));
const MILLION = 1_000_000;
const MAX_RSS_MIB = 300;

type ChildReport = { entries: number; ms: number; perSecond: number; cpuMs: number; perCpuSecond: number; bytes: number; maxRssMiB: number; sampledRssMiB: number; malformed: number; version: string | null };

async function readInChild(path: string, format: string): Promise<ChildReport> {
  return JSON.parse(await lastLineOfChild(CHILD, [path, format])) as ChildReport;
}

function print(what: string, r: ChildReport): void {
  console.log(
    `[bench] ${what}: ${r.entries} entries in ${(r.ms / 1000).toFixed(2)} s = ${r.perSecond} entries/s ` +
      `(CPU ${(r.cpuMs / 1000).toFixed(2)} s = ${r.perCpuSecond} entries per CPU-second), ` +
      `${((r.bytes / (1 << 20)) / (r.ms / 1000)).toFixed(0)} MiB/s of file; peak RSS ${r.maxRssMiB} MiB (sampled ${r.sampledRssMiB} MiB)`,
  );
}

describe('streaming readers', () => {
  it('reads a 1 000 000-entry VICS 2.0 #Media file with peak RSS under 300 MB', { timeout: 600_000 }, async () => {
    const path = files.path('million.json');
    await writeVics2MediaFile(path, { count: MILLION });
    const report = await readInChild(path, 'auto');
    print('VICS 2.0 JSON', report);
    expect(report).toMatchObject({ entries: MILLION, malformed: 0, version: '2.0' });
    expect(report.maxRssMiB).toBeLessThan(MAX_RSS_MIB);
  });

  it('reads a 1 000 000-row NSRL RDSv3 database with peak RSS under 300 MB', { timeout: 600_000 }, async () => {
    const path = files.path('million.db');
    const db = new Database(path);
    db.exec('CREATE TABLE FILE (sha256 VARCHAR NOT NULL, sha1 VARCHAR NOT NULL, md5 VARCHAR NOT NULL, crc32 VARCHAR NOT NULL, file_name VARCHAR NOT NULL, file_size INTEGER NOT NULL, package_id INTEGER NOT NULL)');
    const insert = db.prepare('INSERT INTO FILE VALUES (?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const r of rdsRows(MILLION)) insert.run(r.sha256, r.sha1, r.md5, r.crc32, r.fileName, r.fileSize, r.packageId);
    })();
    db.close();
    const report = await readInChild(path, 'auto');
    print('NSRL RDSv3', report);
    expect(report).toMatchObject({ entries: MILLION, malformed: 0, version: 'RDSv3' });
    expect(report.maxRssMiB).toBeLessThan(MAX_RSS_MIB);
  });
});
