// bench:match (import): hash-set import rates through the real path (HashSetImportRun, as the
// hashsets.import handler starts it) into a fresh store, on a generated VICS 2.0 #Media file and
// a generated NSRL RDSv3 database, and where the time goes: the file's SHA-256 alone (the import
// hashes it in the moments it waits for its reader thread), the format's reader thread alone (parsing and packing; for RDSv3 the bulk path, and the
// file's SHA-256, which that thread computes), and
// the time inside the import's transactions (entries and key runs), taken from the real run; and
// the store's own write ceiling, a peer measured in the same run: encrypted 16 KiB blobs
// appended through the same connection settings, in WAL and under the import's rollback journal.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../../electron/store/database.js';
import { holdRollbackJournal } from '../../electron/store/bulk-journal.js';
import { closeStore, createStore } from '../../electron/store/store.js';
import { writeVics2MediaFile } from '../fixtures/hashset-files.js';
import { ShippedCli } from '../fixtures/shipped-cli.js';
import { BENCH_DIR } from './bench-data.js';
import { Rng } from './match-codes.js';

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const RDS3_SCHEMA = fileURLToPath(new URL('../../../shared/vectors/hashsets/nsrl_rds_v3/RDS_2025.03.1_modern_minimal.schema.sql', import.meta.url));
/**
 * Share of RDS rows that repeat an earlier row's hashes under another package (NSRL lists a file
 * once per product): NIST's RDS 2.29 READ_ME gives 58,272,836 files and 17,489,630 unique SHA-1
 * values, so 70 % of rows repeat one.
 */
const RDS_REPEATS = 1 - 17_489_630 / 58_272_836;

type Format = 'vics' | 'nsrl';

export type ImportResult = {
  readonly format: Format;
  readonly fileBytes: number;
  readonly entriesRead: number;
  readonly entriesStored: number;
  readonly seconds: number;
  readonly sha256Seconds: number;
  readonly readerSeconds: number;
  readonly readerEntries: number;
  readonly transactionSeconds: number;
  /** Bytes the store's database and WAL grew by. */
  readonly storeBytes: number;
  /** Every import's seconds, sorted (`seconds` is their median). */
  readonly runs: readonly number[];
};

/** Imports of each file, each into a fresh store: the median is reported (this machine's page cache and neighbours vary run to run). */
const IMPORTS = 3;

function cached(name: string, make: (path: string) => Promise<void> | void): Promise<string> | string {
  const dir = join(BENCH_DIR, name);
  const path = join(dir, 'data');
  if (existsSync(join(dir, '.complete'))) return path;
  mkdirSync(dir, { recursive: true });
  const finish = () => {
    writeFileSync(join(dir, '.complete'), new Date().toISOString());
    return path;
  };
  const made = make(path);
  return made instanceof Promise ? made.then(finish) : finish();
}

/** `rows` rows in an RDSv3 FILE table (the official schema), RDS_REPEATS of them a file seen again in another package. */
function writeRds3(path: string, rows: number): void {
  if (!existsSync(RDS3_SCHEMA)) throw new Error(`${RDS3_SCHEMA} not found: the NSRL part needs the shared vectors' RDSv3 schema`);
  rmSync(path, { force: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(readFileSync(RDS3_SCHEMA, 'utf8'));
    db.prepare(`INSERT INTO VERSION (version, build_set, build_date, release_date, description) VALUES (?, ?, ?, ?, ?)`).run(
      '2025.03.1',
      'bench',
      '2025-03-01 00:00:00',
      '2025-03-01 00:00:00',
      'generated for bench:match (random hashes)',
    );
    const insert = db.prepare(`INSERT INTO FILE (sha256, sha1, md5, crc32, file_name, file_size, package_id) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const rng = new Rng(77);
    const hex = (bytes: number) => Buffer.from(rng.bytes(bytes)).toString('hex').toUpperCase();
    const files: [string, string, string, string, string, number][] = [];
    db.transaction(() => {
      for (let i = 0; i < rows; i++) {
        let file = files.length > 0 && rng.below(1000) < RDS_REPEATS * 1000 ? files[rng.below(files.length)] : undefined;
        if (file === undefined) {
          file = [hex(32), hex(20), hex(16), hex(4), `file-${i}.dll`, rng.below(1 << 24)];
          if (files.length < 100_000) files.push(file);
        }
        // A package id per row keeps the primary key (every column) unique where a file repeats.
        insert.run(...file, i);
      }
    })();
  } finally {
    db.close();
  }
}

async function sha256Seconds(path: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) h.update(chunk as Buffer);
  h.digest();
  return seconds(t0);
}

/** A view of the database whose transactions are timed: the import's own batches, measured inside the real run. */
function timedTransactions(db: Db): { readonly db: Db; readonly seconds: () => number } {
  let total = 0;
  const proxy = new Proxy(db, {
    get(target, key) {
      if (key === 'transaction') {
        return (fn: (...args: unknown[]) => unknown) => {
          const tx = target.transaction(fn);
          return (...args: unknown[]) => {
            const t0 = process.hrtime.bigint();
            try {
              return tx(...args);
            } finally {
              total += seconds(t0);
            }
          };
        };
      }
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, seconds: () => total };
}

async function oneFormat(format: Format, path: string): Promise<ImportResult> {
  // The reader thread alone, no store: what the format costs to read and pack, on the thread
  // the import runs it on (with its heap), every chunk acknowledged at once. The first read of
  // the file in the run.
  const { ReaderThread } = await import('../../electron/matching/reader-thread/thread.js');
  const t0 = process.hrtime.bigint();
  const thread = new ReaderThread({ path, format });
  let readerEntries = 0;
  try {
    for await (const chunk of thread.chunks()) readerEntries += chunk.type === 'rds' ? chunk.rowsRead : chunk.entries;
  } finally {
    await thread.close();
  }
  const readerSeconds = seconds(t0);
  const hashSeconds = await sha256Seconds(path);

  const runs = [];
  for (let k = 0; k < IMPORTS; k++) runs.push(await importOnce(path, format));
  runs.sort((a, b) => a.seconds - b.seconds);
  const real = runs[Math.floor(runs.length / 2)] as Awaited<ReturnType<typeof importOnce>>;
  return {
    format,
    fileBytes: statSync(path).size,
    entriesRead: real.entriesRead,
    entriesStored: real.entriesStored,
    seconds: real.seconds,
    sha256Seconds: hashSeconds,
    readerSeconds,
    readerEntries,
    transactionSeconds: real.transactionSeconds,
    storeBytes: real.storeBytes,
    runs: runs.map((r) => r.seconds),
  };
}

/** One import through HashSetImportRun into a fresh store. */
async function importOnce(path: string, format: Format) {
  const { HashSetImportRun } = await import('../../electron/matching/hashset-import.js');
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-import-'));
  try {
    const store = await createStore(dir, 'bench', 'bench passphrase, not secret', () => undefined);
    try {
      const before = storeBytes(dir);
      const timed = timedTransactions(store.db);
      const t0 = process.hrtime.bigint();
      const run = await HashSetImportRun.start(timed.db, 1, { path, name: `bench-${format}`, format, actor: 'bench' }, () => undefined);
      const view = await run.finished;
      const total = seconds(t0);
      if (view.state !== 'done') throw new Error(`${format} import ${view.state}: ${view.error ?? ''}`);
      return { entriesRead: view.entriesRead, entriesStored: view.hashset?.entries ?? 0, seconds: total, transactionSeconds: timed.seconds(), storeBytes: storeBytes(dir) - before };
    } finally {
      closeStore(store);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function storeBytes(dir: string): number {
  return ['custos.db', 'custos.db-wal'].reduce((n, f) => n + (existsSync(join(dir, f)) ? statSync(join(dir, f)).size : 0), 0);
}

/**
 * The store's write ceiling: 200 MiB of 16 KiB blobs appended in one transaction, as the store is
 * opened (SQLCipher, WAL) and as an import holds it (rollback journal, store/bulk-journal.ts).
 */
async function storeWriteCeiling(journal: 'wal' | 'rollback'): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-ceiling-'));
  try {
    const store = await createStore(dir, 'bench', 'bench passphrase, not secret', () => undefined);
    try {
      store.db.exec('CREATE TABLE bench_blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL) STRICT');
      const release = journal === 'rollback' ? holdRollbackJournal(store.db) : () => undefined;
      const blob = Buffer.from(new Rng(3).bytes(16384).buffer);
      const insert = store.db.prepare('INSERT INTO bench_blobs (data) VALUES (?)');
      const t0 = process.hrtime.bigint();
      store.db.transaction(() => {
        for (let i = 0; i < 12_800; i++) insert.run(blob);
      })();
      const rate = (12_800 * 16384) / seconds(t0);
      release();
      return rate;
    } finally {
      closeStore(store);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function importBench(o: { readonly entries: number }): Promise<ImportResult[]> {
  console.log(`\n(import) hash-set imports through HashSetImportRun into a fresh store, ${o.entries} records each, median of ${IMPORTS} imports`);
  const vics = await cached(`match-vics2-${o.entries}`, (path) => writeVics2MediaFile(path, { count: o.entries, seed: 12345 }));
  const nsrl = await cached(`match-rds3-nist-ratio-${o.entries}`, (path) => writeRds3(path, o.entries));
  const walCeiling = await storeWriteCeiling('wal');
  const ceiling = await storeWriteCeiling('rollback');
  console.log(
    `  the store's write ceiling (peer, same run): ${(ceiling / 1e6).toFixed(0)} MB/s of encrypted pages under the import's rollback journal, ${(walCeiling / 1e6).toFixed(0)} MB/s in WAL (SQLCipher 4 page encryption, one connection)`,
  );
  const results: ImportResult[] = [];
  const targets = { vics: 200_000, nsrl: 1_000_000 } as const;
  for (const [format, path, unit] of [
    ['vics', vics, 'entries'],
    ['nsrl', nsrl, 'rows'],
  ] as const) {
    const r = await oneFormat(format, path);
    results.push(r);
    const rate = r.entriesRead / r.seconds;
    const inTx = r.transactionSeconds;
    console.log(
      `  ${format === 'vics' ? 'VICS 2.0 #Media JSON' : 'NSRL RDSv3 SQLite'} (${(r.fileBytes / 1e6).toFixed(0)} MB): ${r.entriesRead} ${unit} read, ${r.entriesStored} entries stored, in ${r.seconds.toFixed(2)} s = ${rate.toFixed(0)} ${unit}/s in this process, the reader thread compiled from the sources by tsx as it starts (the ${IMPORTS} imports: ${r.runs.map((t) => t.toFixed(2)).join(', ')} s)`,
    );
    console.log(
      `    where the time goes: file SHA-256 alone ${r.sha256Seconds.toFixed(1)} s (done in the moments a thread waits for the other); reader thread alone ${r.readerSeconds.toFixed(1)} s (${(r.readerEntries / r.readerSeconds).toFixed(0)} ${unit}/s); inside the import's transactions (entries, key runs and merge) ${inTx.toFixed(1)} s; the rest ${(r.seconds - inTx).toFixed(1)} s`,
    );
    console.log(
      `    the store's files grew by ${(r.storeBytes / 1e6).toFixed(0)} MB (${(r.storeBytes / r.entriesStored).toFixed(0)} bytes per entry stored): ${(r.storeBytes / ceiling).toFixed(1)} s at the write ceiling`,
    );
  }
  // The figures held to the targets: the import as the app runs it.
  const shipped = shippedImports([vics, nsrl]);
  const asShipped = (times: readonly number[] | undefined, unit: string, target: number) => {
    const rate = (o.entries * 1000) / median(times ?? []);
    return `${(times ?? []).map((t) => (t / 1000).toFixed(2)).join(', ')} s = ${rate.toFixed(0)} ${unit}/s (target >= ${target}: ${rate >= target ? 'met' : 'NOT met'})`;
  };
  console.log(
    `  as shipped (the bundled custos CLI, its reader thread bundled too; the import's own durationMs from custody, median of ${IMPORTS}): VICS ${asShipped(shipped[0], 'entries', targets.vics)}; NSRL ${asShipped(shipped[1], 'rows', targets.nsrl)}`,
  );
  return results;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/**
 * Each file imported IMPORTS times through the CLI as the app ships it (esbuild bundles, built
 * here inside the checkout so they find node_modules), each time into a fresh store; the seconds
 * are the import's own (`durationMs` of its hashset.import event), so the CLI's start and unlock
 * are left out. The in-process runs above start the reader thread from the sources through tsx.
 */
function shippedImports(paths: readonly string[]): number[][] {
  const cli = ShippedCli.build('bench-cli');
  try {
    const times: number[][] = paths.map(() => []);
    for (let k = 0; k < IMPORTS; k++) {
      const store = join(cli.dir, `store-${k}`);
      cli.runSync(store, ['init', '--admin', 'alice']);
      paths.forEach((path, i) => cli.runSync(store, ['hashset', 'import', path, '--name', `set-${i}`]));
      const events = JSON.parse(cli.runSync(store, ['custody', 'log', '--json'])) as { action: string; details: { name: string; durationMs: number } }[];
      for (const e of events) if (e.action === 'hashset.import') times[Number(e.details.name.slice(4))]?.push(e.details.durationMs);
      rmSync(store, { recursive: true, force: true });
    }
    return times.map((t) => [...t].sort((a, b) => a - b));
  } finally {
    cli.dispose();
  }
}
