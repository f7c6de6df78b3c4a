// NSRL RDSv3: a plain SQLite database (tens of GB for a full release) whose FILE table (a view in
// full releases) has sha256, sha1, md5, crc32, file_name, file_size, package_id. It is read where it
// lies, opened read-only, rows streamed from one prepared statement in batches: nothing is copied or
// loaded whole. This is the one file outside electron/store that opens a database, and only to read
// a hash set the user chose (eslint.config.js allows this file alone to import the driver).
import Database from 'better-sqlite3-multiple-ciphers';
import { loadSqliteExtension } from '../../native/custos-native.js';
import type { FileSource, OpenedFile } from './file-source.js';
import { StreamedReader } from './streamed-reader.js';
import { BATCH_SIZE, BULK_DIGEST_WIDTH, HashSetFormatError, MAX_MALFORMED_REPORTED, type BulkChunk, type HashSetReader, type ImportedEntry } from './types.js';
import { utf8Rows, wellFormedUtf8 } from './utf8-rows.js';
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
type RowSource = {
  readonly table: string;
  readonly columns: string;
  readonly maxRowid: number | null;
  /** FILE can be grouped by (sha256, sha1, md5) along an index, without a temporary sort: the bulk path. */
  readonly grouped: boolean;
  /** custos_rds_chunk (native/src/sqlite_rds.c) is loaded: the bulk path's chunks are read by it. */
  readonly nativeChunks: boolean;
};

/** A file name is cut here (PATH_MAX): a chunk's JSON stays small whatever a row holds. */
const MAX_NAME_CHARS = 4096;
/** Distinct entries per bulk chunk. */
const BULK_CHUNK = 20_000;
/** A native chunk ends early once its rows' JSON is this long (long escaped names): the reader thread's memory stays small. */
const BULK_CHUNK_JSON = 16 << 20;
const DIGESTS = [
  ['sha256', 64],
  ['sha1', 40],
  ['md5', 32],
] as const;
/** A row SQLite may take: each digest empty or hex of its length, and at least one given. */
const VALID_ROW = `${DIGESTS.map(([c, n]) => `(coalesce(${c}, '') = '' OR (length(${c}) = ${n} AND unhex(${c}) IS NOT NULL))`).join(' AND ')}
  AND (${DIGESTS.map(([c]) => `coalesce(${c}, '') != ''`).join(' OR ')})`;
const GROUP = 'GROUP BY sha256, sha1, md5 ORDER BY sha256, sha1, md5';
/**
 * Each group's digests as fixed-width hex, zeros where one is empty. A digest of the wrong
 * length, or a group with none, gives 'zz', which stops Node's hex decoding short: a chunk whose
 * digests do not decode to full length is read again through VALID_ROW (the slow, exact path).
 */
const PACKED_HEX = `CASE WHEN ${DIGESTS.map(([c]) => `coalesce(${c}, '') = ''`).join(' AND ')} THEN 'zz' ELSE ${DIGESTS.map(
  ([c, n]) => `CASE length(coalesce(${c}, '')) WHEN ${n} THEN ${c} WHEN 0 THEN '${'0'.repeat(n)}' ELSE 'zz' END`,
).join(' || ')} END`;

/**
 * PACKED_HEX for the one-pass read, 'zz' (a chunk read again exactly) unless all three digests are
 * text: then each is '' or hex of its length, and LAST_KEY orders groups as (sha256, sha1, md5) do.
 */
const FAST_HEX = `CASE WHEN ${DIGESTS.map(([c]) => `typeof(${c}) = 'text'`).join(' AND ')} THEN ${PACKED_HEX} ELSE 'zz' END`;
/** The chunk's last group, as bare columns beside max(): char(1) sorts below every hex digit. */
const LAST_KEY = `s256 || char(1) || s1 || char(1) || m5`;

type Boundary = [sha256: string, sha1: string, md5: string];
type ChunkRow = [entries: number, rowsRead: number, invalidRows: number, rows: string, hex: string];
/** A chunk as the one-pass read gives it; `digests` short of `groups` entries means: read it again exactly. */
type FastChunk = { readonly groups: number; readonly rowsRead: number; readonly rows: Uint8Array; readonly digests: Uint8Array; readonly next: Boundary | undefined };

/** The words that open custos_rds_chunk's result (native/src/sqlite_rds.c). */
const RDS_HEADER_WORDS = 9;

/**
 * custos_rds_chunk's result, or null when the chunk is not of the plain shape it takes (read it
 * exactly). The digests and rows are views of the result, whose buffer is SQLite's copy: nothing
 * else lies in it, so the reader thread can transfer it whole.
 */
function nativeChunk(result: Buffer): FastChunk | null {
  const word = (i: number) => result.readUInt32LE(i * 4);
  if (word(0) !== 0) return null;
  const [groups, rowsRead, more, digestBytes, jsonBytes] = [word(1), word(2), word(3), word(4), word(5)];
  let at = RDS_HEADER_WORDS * 4;
  const key = [6, 7, 8].map((w) => result.toString('utf8', at, (at += word(w)))) as Boundary;
  const digests = result.subarray(at, (at += digestBytes));
  return { groups, rowsRead, rows: wellFormedUtf8(result.subarray(at, at + jsonBytes)), digests, next: more === 1 ? key : undefined };
}

/** Bytes of their own from SQLite's hex: Buffer.from may cut small ones from its shared pool, which cannot be transferred. */
const ownedDigests = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
type InvalidRow = [line: number | null, sha256: unknown, sha1: unknown, md5: unknown];

class RdsV3Reader extends StreamedReader {
  private rowsRead = 0;
  private validRows = 0;
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

  bulkEntries(): AsyncIterable<BulkChunk> | null {
    if (!this.rows.grouped) return null;
    // entries() and bulkEntries() share the one pass.
    this.entries();
    return this.bulkChunks();
  }

  /**
   * The distinct (sha256, sha1, md5) groups in primary-key order, BULK_CHUNK at a time: SQLite
   * groups, validates and serialises them (one JSON string and one hex string per chunk), so no
   * row becomes a JavaScript object. The first listing of each file (least file name) is kept.
   */
  private async *bulkChunks(): AsyncGenerator<BulkChunk> {
    const table = `"${this.rows.table}"`;
    // Each query comes in up to four shapes (with or without a lower and an upper bound):
    // prepared once per shape, not once per chunk.
    const prepared = new Map<string, Database.Statement>();
    const once = (sql: string) => {
      let statement = prepared.get(sql);
      if (statement === undefined) prepared.set(sql, (statement = this.db.prepare(sql).raw(true)));
      return statement;
    };
    // Bounds are groups whose digests are all present (not NULL): `> bound` then takes exactly the
    // rows after it in index order. `<= bound` would not take every row before it (one with a NULL
    // where it first differs from the bound compares NULL), hence NOT `>`, with the first digest's
    // range to end the index walk (and, in the first chunk, NULL first digests, which sort first).
    const range = (lower: boolean, upper: boolean) =>
      [
        lower ? '(sha256, sha1, md5) > (?, ?, ?)' : '',
        upper ? `${lower ? 'sha256 <= ?' : '(sha256 IS NULL OR sha256 <= ?)'} AND coalesce((sha256, sha1, md5) > (?, ?, ?), 0) = 0` : '',
      ]
        .filter((c) => c !== '')
        .join(' AND ') || '1';
    const bounds = (lower: Boundary | null, upper: Boundary | undefined) => [...(lower ?? []), ...(upper === undefined ? [] : [upper[0], ...upper])];
    const boundary = (lower: boolean) =>
      once(`SELECT sha256, sha1, md5 FROM ${table} WHERE ${range(lower, false)} AND sha256 IS NOT NULL AND sha1 IS NOT NULL AND md5 IS NOT NULL ${GROUP} LIMIT 1 OFFSET ${BULK_CHUNK - 1}`);
    // One pass a chunk: the next BULK_CHUNK groups, serialised, with the last one's digests (the
    // next chunk's lower bound). The hex check is left to Node's decoder (see PACKED_HEX); a chunk
    // that fails it is read again by the exact query, which checks every digest in SQL and counts
    // the invalid rows, between bounds found again by the boundary query.
    const fast = (lower: boolean) =>
      once(
        `SELECT count(*), coalesce(sum(listed), 0), 0, json_group_array(json_array(file_name, file_size, package_id)), coalesce(group_concat(packed, ''), ''), max(${LAST_KEY}), s256, s1, m5
         FROM (SELECT substr(min(file_name), 1, ${MAX_NAME_CHARS}) AS file_name, file_size, package_id, count(*) AS listed, ${FAST_HEX} AS packed, sha256 AS s256, sha1 AS s1, md5 AS m5
               FROM ${table} WHERE ${range(lower, false)} ${GROUP} LIMIT ${BULK_CHUNK})`,
      );
    const exact = (lower: boolean, upper: boolean) =>
      once(
        `SELECT count(*) FILTER (WHERE valid), coalesce(sum(listed) FILTER (WHERE valid), 0), coalesce(sum(listed) FILTER (WHERE NOT valid), 0),
                json_group_array(json_array(file_name, file_size, package_id)) FILTER (WHERE valid),
                coalesce(group_concat(packed, '') FILTER (WHERE valid), '')
         FROM (SELECT substr(min(file_name), 1, ${MAX_NAME_CHARS}) AS file_name, file_size, package_id, count(*) AS listed, ${PACKED_HEX} AS packed, ${VALID_ROW} AS valid
               FROM ${table} WHERE ${range(lower, upper)} ${GROUP})`,
      );
    const rowid = this.rows.maxRowid === null ? 'NULL' : 'rowid';
    const invalid = (lower: boolean, upper: boolean) =>
      once(`SELECT ${rowid}, sha256, sha1, md5 FROM ${table} WHERE ${range(lower, upper)} AND NOT (${VALID_ROW}) LIMIT ${MAX_MALFORMED_REPORTED}`);
    // Natively where custos_rds_chunk is loaded (one walk of the index, no SQL per group).
    const native = this.rows.nativeChunks
      ? (bound: Boundary | null) =>
          nativeChunk((once(`SELECT custos_rds_chunk(?, ${BULK_CHUNK}, ${MAX_NAME_CHARS}, ${BULK_CHUNK_JSON}${bound ? ', ?, ?, ?' : ''})`).get(this.rows.table, ...(bound ?? [])) as [Buffer])[0])
      : null;
    const sql = (bound: Boundary | null): FastChunk => {
      const [groups, rowsRead, , rows, hex, , ...lastGroup] = fast(bound !== null).get(...(bound ?? [])) as [...ChunkRow, string | null, ...Boundary];
      // Fewer groups than a chunk: the last chunk, with no upper bound.
      return { groups, rowsRead, rows: utf8Rows(rows), digests: ownedDigests(hex), next: groups === BULK_CHUNK ? lastGroup : undefined };
    };
    /** The chunk after `last`, every digest checked in SQL, the invalid rows reported; where it ends is found again unless the one-pass read saw it was the last. */
    const exactly = (last: Boundary | null, read: FastChunk | null): FastChunk & { readonly invalidRows: number } => {
      const lower = last !== null;
      const next = read === null || read.groups === BULK_CHUNK ? (boundary(lower).get(...(last ?? [])) as Boundary | undefined) : undefined;
      const upper = next !== undefined;
      const args = bounds(last, next);
      const [groups, rowsRead, invalidRows, rows, hex] = exact(lower, upper).get(...args) as ChunkRow;
      if (invalidRows > 0) this.reportInvalid(invalid(lower, upper).all(...args) as InvalidRow[], invalidRows);
      return { groups, rowsRead, invalidRows, rows: utf8Rows(rows), digests: ownedDigests(hex), next };
    };
    let last: Boundary | null = null;
    for (;;) {
      const read: FastChunk | null = native === null ? sql(last) : native(last);
      if (read !== null && read.groups === 0) break;
      const { groups, rowsRead, rows, digests, next, invalidRows = 0 }: FastChunk & { readonly invalidRows?: number } =
        read !== null && read.digests.length === read.groups * BULK_DIGEST_WIDTH ? read : exactly(last, read);
      this.rowsRead += rowsRead + invalidRows;
      this.validRows += rowsRead;
      if (groups > 0) yield { rows, digests, entries: groups, rowsRead };
      if (next === undefined) break;
      last = next;
      // Progress by key space: primary-key order is SHA-256 order, spread evenly.
      this.progress = (parseInt(next[0].slice(0, 4), 16) / 0x10000) * this.totalBytes || this.progress;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.done = true;
    if (this.validRows === 0) {
      const first = this.sink.report().first[0];
      if (first !== undefined) throw new HashSetFormatError(`not ${NOUN}: could not read any of its rows (line ${first.line}: ${first.reason})`, 'no-entries');
    }
  }

  /** Counts a chunk's invalid rows, keeping the first few as examples (by rowid: RDSv3 rows have no lines). */
  private reportInvalid(examples: readonly InvalidRow[], count: number): void {
    examples.forEach(([line, sha256, sha1, md5]) => {
      const reason =
        badDigest(sha256, digestOf(sha256, 32), 32, 'sha256') ?? badDigest(sha1, digestOf(sha1, 20), 20, 'sha1') ?? badDigest(md5, digestOf(md5, 16), 16, 'md5') ?? 'no sha256, sha1 or md5';
      this.sink.malformed(line ?? this.rowsRead, `row ${line ?? this.rowsRead}: ${reason}`);
    });
    for (let i = examples.length; i < count; i++) this.sink.malformed(this.rowsRead, '');
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
      blockhash: null,
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

/** Whether SQLite groups FILE by (sha256, sha1, md5) walking an index (NIST's primary key) rather than sorting it in memory. */
function groupsAlongIndex(db: Database.Database, table: string): boolean {
  try {
    // custos_rds_chunk walks it in the same order, as ORDER BY.
    const plans = [`SELECT sha256, sha1, md5, count(*) FROM "${table}" ${GROUP}`, `SELECT sha256 FROM "${table}" ORDER BY sha256, sha1, md5`].flatMap(
      (query) => db.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as { detail: string }[],
    );
    return !plans.some((p) => /TEMP B-TREE/i.test(p.detail));
  } catch {
    return false;
  }
}

/** Opens an RDSv3 database read-only, checking it has a FILE table or view with hash columns. */
export function openNsrlDatabase(file: OpenedFile): HashSetReader {
  if (!isSqlite(file.head)) throw new HashSetFormatError(`not ${NOUN}: no SQLite header`);
  let db: Database.Database;
  try {
    db = new Database(file.source.path, { readonly: true, fileMustExist: true });
    // A chunk read again (exactly, where a digest is malformed) finds its pages cached.
    db.pragma('cache_size = -65536');
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
    const grouped = ['sha256', 'sha1', 'md5', 'file_name', 'file_size', 'package_id'].every((c) => columns.has(c)) && groupsAlongIndex(db, fileObject.name);
    const nativeChunks = grouped && loadSqliteExtension(db, 'sqlite3_custosrds_init');
    const properties: Record<string, string> = {};
    if (objects.some((o) => o.name.toUpperCase() === 'VERSION')) {
      const version = db.prepare('SELECT * FROM VERSION LIMIT 1').get() as Record<string, unknown> | undefined;
      for (const [key, value] of Object.entries(version ?? {})) if (typeof value === 'string' || typeof value === 'number') properties[key] = String(value);
    }
    return new RdsV3Reader(db, file.source, { table: fileObject.name, columns: selectedColumns, maxRowid, grouped, nativeChunks }, properties);
  } catch (error) {
    db.close();
    if (error instanceof HashSetFormatError) throw error;
    throw new HashSetFormatError(`not ${NOUN}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
