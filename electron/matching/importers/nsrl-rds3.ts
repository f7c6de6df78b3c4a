// NSRL RDSv3: a plain SQLite database (tens of GB for a full release) whose FILE table (a view in
// full releases) has sha256, sha1, md5, crc32, file_name, file_size, package_id. It is read where it
// lies, opened read-only, rows streamed from one prepared statement in batches: nothing is copied or
// loaded whole. This is the one file outside electron/store that opens a database, and only to read
// a hash set the user chose (eslint.config.js allows this file alone to import the driver).
import Database from 'better-sqlite3-multiple-ciphers';
import type { FileSource, OpenedFile } from './file-source.js';
import { StreamedReader } from './streamed-reader.js';
import { BATCH_SIZE, HashSetFormatError, type HashSetReader, type ImportedEntry } from './types.js';
import { hexDigest, shown } from './values.js';

export const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const NOUN = 'an NSRL RDSv3 database';
/** Without rowids (a FILE view) progress is estimated at this many bytes of database per row. */
const ESTIMATED_BYTES_PER_ROW = 180;

type Row = [rowid: number | null, sha256: unknown, sha1: unknown, md5: unknown, fileName: unknown, fileSize: unknown, packageId: unknown];

export function isSqlite(head: Buffer): boolean {
  return head.length >= SQLITE_MAGIC.length && head.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC);
}

/** `col` when FILE has that column, else NULL (the reader takes whichever hash columns a release has). */
function selected(columns: ReadonlySet<string>, name: string): string {
  return columns.has(name) ? `"${name}"` : 'NULL';
}

/** Why a digest column's value is unreadable, or null when it is a digest or empty. */
function badDigest(value: unknown, digest: Buffer | null, bytes: number, name: string): string | null {
  if (digest !== null || value === null || value === '') return null;
  return `${name} ${shown(value)} is not ${bytes * 2} hex digits`;
}

const digestOf = (value: unknown, bytes: number): Buffer | null => (typeof value === 'string' && value !== '' ? hexDigest(value, bytes) : null);

/** Where the rows come from: pages by rowid (a table: fast, and progress is exact), or one cursor (a view). */
type RowSource = { readonly table: string; readonly columns: string; readonly maxRowid: number | null };

class RdsV3Reader extends StreamedReader {
  private rowsRead = 0;
  private progress = 0;
  private done = false;
  private iterator: IterableIterator<unknown> | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly source: FileSource,
    private readonly rows: RowSource,
    properties: Record<string, string>,
  ) {
    super({ format: 'nsrl', version: 'RDSv3', properties, totalBytes: source.size, noun: NOUN });
  }

  bytesRead(): number {
    if (this.done) return this.totalBytes;
    return Math.min(this.progress, this.totalBytes);
  }

  async close(): Promise<void> {
    this.iterator?.return?.();
    this.iterator = null;
    if (this.db.open) this.db.close();
    await this.source.close();
  }

  protected async *batches(): AsyncGenerator<ImportedEntry[]> {
    const { table, columns, maxRowid } = this.rows;
    const pages = maxRowid === null ? this.cursorPages(`SELECT NULL, ${columns} FROM "${table}"`) : this.rowidPages(`SELECT rowid, ${columns} FROM "${table}" WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH_SIZE}`, maxRowid);
    for (const page of pages) {
      for (const row of page) this.addRow(row);
      yield* this.sink.takeFull();
      // The driver reads synchronously: give the event loop a turn between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.done = true;
    yield* this.sink.takeAll();
  }

  /** A rowid table, a page of rows at a time (better-sqlite3's all() costs far less per row than iterate()). */
  private *rowidPages(query: string, maxRowid: number): Generator<readonly Row[]> {
    const statement = this.db.prepare(query).raw(true);
    for (let last = -Infinity; ; ) {
      const page = statement.all(last) as Row[];
      const end = page[page.length - 1];
      if (end === undefined) return;
      last = end[0] ?? maxRowid;
      this.progress = (last / maxRowid) * this.totalBytes;
      yield page;
    }
  }

  /** A view (full releases), through one cursor; progress estimated from the rows read. */
  private *cursorPages(query: string): Generator<readonly Row[]> {
    const rows = this.db.prepare(query).raw(true).iterate() as IterableIterator<Row>;
    this.iterator = rows;
    try {
      for (;;) {
        const page: Row[] = [];
        for (let next = rows.next(); next.done !== true; next = rows.next()) {
          page.push(next.value);
          if (page.length === BATCH_SIZE) break;
        }
        if (page.length === 0) return;
        this.progress = (this.rowsRead + page.length) * ESTIMATED_BYTES_PER_ROW;
        yield page;
      }
    } finally {
      rows.return?.();
      this.iterator = null;
    }
  }

  private addRow(row: Row): void {
    const line = ++this.rowsRead;
    const sha256 = digestOf(row[1], 32);
    const sha1 = digestOf(row[2], 20);
    const md5 = digestOf(row[3], 16);
    const bad = badDigest(row[1], sha256, 32, 'sha256') ?? badDigest(row[2], sha1, 20, 'sha1') ?? badDigest(row[3], md5, 16, 'md5');
    if (bad !== null) return this.sink.malformed(line, `row ${line}: ${bad}`);
    if (sha256 === null && sha1 === null && md5 === null) return this.sink.malformed(line, `row ${line}: no sha256, sha1 or md5`);
    const name = row[4];
    const size = row[5];
    const packageId = row[6];
    this.sink.add({
      md5,
      sha1,
      sha256,
      pdq: null,
      pdqQuality: null,
      photoDna: null,
      category: null,
      series: null,
      victimIdentified: null,
      fileName: typeof name === 'string' && name !== '' ? name : null,
      fileSize: typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : null,
      extra: packageId === null || packageId === undefined ? null : { package_id: packageId },
    });
  }
}

/** Opens an RDSv3 database read-only, checking it has a FILE table or view with hash columns. */
export function openNsrlDatabase(file: OpenedFile): HashSetReader {
  if (!isSqlite(file.head)) throw new HashSetFormatError(`not ${NOUN}: no SQLite header`);
  let db: Database.Database;
  try {
    db = new Database(file.source.path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new HashSetFormatError(`not ${NOUN}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const objects = db.prepare(`SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view')`).all() as { name: string; type: string }[];
    const fileObject = objects.find((o) => o.name.toUpperCase() === 'FILE');
    if (fileObject === undefined) throw new HashSetFormatError(`not ${NOUN}: no FILE table`);
    const columns = new Set(db.prepare(`SELECT * FROM "${fileObject.name}" LIMIT 0`).columns().map((c) => c.name.toLowerCase()));
    if (!['sha256', 'sha1', 'md5'].some((c) => columns.has(c))) throw new HashSetFormatError(`not ${NOUN}: its FILE ${fileObject.type} has no sha256, sha1 or md5 column`);
    let maxRowid: number | null = null;
    if (fileObject.type === 'table') {
      try {
        const max = db.prepare(`SELECT max(rowid) AS m FROM "${fileObject.name}"`).get() as { m: number | null };
        maxRowid = max.m;
      } catch {
        maxRowid = null; // WITHOUT ROWID
      }
    }
    const selectedColumns = ['sha256', 'sha1', 'md5', 'file_name', 'file_size', 'package_id'].map((c) => selected(columns, c)).join(', ');
    const properties: Record<string, string> = {};
    if (objects.some((o) => o.name.toUpperCase() === 'VERSION')) {
      const version = db.prepare('SELECT * FROM VERSION LIMIT 1').get() as Record<string, unknown> | undefined;
      for (const [key, value] of Object.entries(version ?? {})) if (typeof value === 'string' || typeof value === 'number') properties[key] = String(value);
    }
    return new RdsV3Reader(db, file.source, { table: fileObject.name, columns: selectedColumns, maxRowid }, properties);
  } catch (error) {
    db.close();
    if (error instanceof HashSetFormatError) throw error;
    throw new HashSetFormatError(`not ${NOUN}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
