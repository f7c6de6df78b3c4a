// Importing a hash set: the file is read once to hash it (its SHA-256 goes into custody) and
// once by the streaming reader of its format; entries are written in batches into a set that
// stays 'importing' until the last transaction makes it active (replacing the set of the same
// name) together with its custody event. A file that turns out not to be the format named, or
// a crash, leaves the store as it was: the partial set is purged.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { EngineEvent, HashSetFormatName, HashSetImportView, HashSetKind, HashSetView } from '../api/contract.js';
import type { Db } from '../store/database.js';
import { CustosError } from '../store/errors.js';
import {
  activateHashSet,
  deleteEntries,
  deleteImportingSet,
  findActiveSet,
  getHashSet,
  insertEntries,
  insertHashSet,
  purgeableSets,
  type EntryRow,
} from '../store/repositories/hashsets.js';
import { appendEvent } from '../custody/log.js';
import { isScheme } from '../review/category-schemes.js';
import { HashSetFormatError, openHashSet, type HashSetReader, type ImportedEntry } from './importers/index.js';

const PROGRESS_EVERY_MS = 250;
// Entries land in random places of the hash indexes, so a transaction dirties about one index
// page per entry until it holds more entries than the indexes have pages: fewer, larger
// transactions write each page once for many entries. On a million-entry set: 5 000 per
// transaction, 7 300 entries/s; 20 000, 9 900 (and the rows held stay within the import's
// memory budget). The lasting fix is a sorted bulk load (see RESULTS.md, bench:match).
const ROWS_PER_TRANSACTION = 20_000;
const PURGE_SLICE = 50_000;

export type ImportRequest = {
  readonly path: string;
  readonly name: string;
  readonly format: HashSetFormatName;
  readonly kind?: HashSetKind;
  readonly scheme?: string;
  readonly actor: string;
};

/** Deletes what half-finished imports left, and the entries of retired sets nothing points at. */
export function purgeHashSets(db: Db): void {
  for (const id of purgeableSets(db)) {
    while (db.transaction(() => deleteEntries(db, id, PURGE_SLICE))() > 0);
    db.transaction(() => deleteImportingSet(db, id))();
  }
}

// An entry's identity within its set: its hashes and category. The same hash listed twice (NSRL
// lists a file once per product) is one entry; the same hash with two categories is two, so the
// conflict stays visible.
function dedupKey(e: ImportedEntry): Buffer {
  const h = createHash('sha256');
  for (const part of [e.md5, e.sha1, e.sha256, e.pdq]) {
    h.update(part === null ? Buffer.of(0) : Buffer.concat([Buffer.of(part.length), part]));
  }
  h.update(e.category === null ? 'null' : String(e.category));
  return h.digest().subarray(0, 16);
}

function toRow(e: ImportedEntry): EntryRow {
  return {
    dedup: dedupKey(e),
    md5: e.md5,
    sha1: e.sha1,
    sha256: e.sha256,
    pdq: e.pdq,
    pdqQuality: e.pdqQuality,
    photoDna: e.photoDna,
    category: e.category,
    series: e.series,
    victimIdentified: e.victimIdentified,
    fileName: e.fileName,
    fileSize: e.fileSize,
    extra: e.extra === null ? null : JSON.stringify(e.extra),
  };
}

async function sha256OfFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

export class HashSetImportRun {
  readonly finished: Promise<HashSetImportView>;
  #state: HashSetImportView['state'] = 'running';
  #error: string | null = null;
  #entriesRead = 0;
  #hashset: HashSetView | null = null;
  #lastProgress = 0;
  readonly #started = performance.now();
  #ended: number | null = null;
  #stopReason: string | null = null;

  private constructor(
    readonly importId: number,
    private readonly db: Db,
    private readonly request: ImportRequest,
    private readonly reader: HashSetReader,
    private readonly emit: (event: EngineEvent) => void,
  ) {
    this.finished = this.#run();
  }

  /**
   * Opens the file with its format's reader (sniffing the format when 'auto'); a file that is
   * not the format named is refused here, before anything is written.
   */
  static async start(db: Db, importId: number, request: ImportRequest, emit: (event: EngineEvent) => void): Promise<HashSetImportRun> {
    const path = resolve(request.path);
    try {
      if (!statSync(path).isFile()) throw new CustosError('bad-input', `${request.path} is not a file`);
    } catch (err) {
      if (err instanceof CustosError) throw err;
      throw new CustosError('bad-input', `cannot read ${request.path}: no such file`);
    }
    if (request.scheme !== undefined && request.scheme !== 'none' && !isScheme(request.scheme)) {
      throw new CustosError('bad-input', `unknown category scheme '${request.scheme}'`);
    }
    let reader: HashSetReader;
    try {
      reader = await openHashSet(path, request.format);
    } catch (err) {
      throw new CustosError('bad-input', err instanceof Error ? err.message : String(err));
    }
    return new HashSetImportRun(importId, db, { ...request, path }, reader, emit);
  }

  /** Abandons the import after the batch in hand (lock, shutdown); nothing of it is kept. */
  async stop(reason: string): Promise<HashSetImportView> {
    this.#stopReason ??= reason;
    return this.finished;
  }

  view(): HashSetImportView {
    const malformed = this.reader.malformed();
    return {
      importId: this.importId,
      name: this.request.name,
      state: this.#state,
      bytesTotal: this.reader.totalBytes,
      bytesDone: this.#state === 'done' ? this.reader.totalBytes : this.reader.bytesRead(),
      entriesRead: this.#entriesRead,
      malformed: malformed.count,
      firstMalformed: malformed.first,
      elapsedMs: Math.round((this.#ended ?? performance.now()) - this.#started),
      error: this.#error,
      hashset: this.#hashset,
    };
  }

  #progress(force = false): void {
    const now = performance.now();
    if (!force && now - this.#lastProgress < PROGRESS_EVERY_MS) return;
    this.#lastProgress = now;
    this.emit({ event: 'hashset.progress', payload: this.view() });
  }

  async #run(): Promise<HashSetImportView> {
    await Promise.resolve();
    let setId: number | null = null;
    try {
      purgeHashSets(this.db);
      const { path, name, actor } = this.request;
      const sourceSha256 = await sha256OfFile(path);
      const sourceSize = statSync(path).size;
      const now = new Date().toISOString();
      const id = this.db.transaction(() =>
        insertHashSet(this.db, {
          name,
          format: this.reader.format,
          version: this.reader.version,
          kind: this.request.kind ?? (this.reader.format === 'nsrl' ? 'ignorable' : 'alert'),
          scheme: 'none',
          sourceFile: basename(path),
          sourceSha256,
          sourceSize,
          importedAt: now,
          importedBy: actor,
        }),
      )();
      setId = id;
      let stored = 0;
      let categorised = false;
      let pending: EntryRow[] = [];
      const write = () => {
        const rows = pending;
        pending = [];
        stored += this.db.transaction(() => insertEntries(this.db, id, rows))();
      };
      for await (const batch of this.reader.entries()) {
        if (this.#stopReason !== null) throw new Error(`import stopped (${this.#stopReason}): nothing of it was kept`);
        this.#entriesRead += batch.length;
        categorised ||= batch.some((e) => e.category !== null);
        for (const e of batch) pending.push(toRow(e));
        if (pending.length >= ROWS_PER_TRANSACTION) write();
        this.#progress();
      }
      write();
      const malformed = this.reader.malformed();
      if (this.#entriesRead === 0) {
        throw new HashSetFormatError(
          malformed.count > 0
            ? `no valid entry in ${basename(path)} (${malformed.count} malformed, first at line ${malformed.first[0]?.line ?? '?'}: ${malformed.first[0]?.reason ?? ''}): not a ${this.reader.format} hash set`
            : `${basename(path)} holds no entries`,
        );
      }
      const scheme = this.request.scheme ?? this.reader.schemeHint ?? (categorised ? 'vics-us' : 'none');
      this.db.transaction(() => {
        const previous = findActiveSet(this.db, name);
        activateHashSet(this.db, id, { entries: stored, malformed: malformed.count, scheme }, previous?.id ?? null, new Date().toISOString());
        this.#hashset = getHashSet(this.db, id) ?? null;
        appendEvent(this.db, {
          actor,
          action: 'hashset.import',
          subject: `hashset/${id}`,
          details: {
            name,
            format: this.reader.format,
            version: this.reader.version,
            kind: this.#hashset?.kind,
            scheme,
            sourceFile: basename(path),
            sourceSha256,
            sourceSize,
            entriesRead: this.#entriesRead,
            entries: stored,
            malformed: malformed.count,
            firstMalformed: malformed.first.map((m) => ({ line: m.line, reason: m.reason })),
            replaces: previous ? { id: previous.id, entries: previous.entries, sourceSha256: previous.sourceSha256 } : null,
            durationMs: Math.round(performance.now() - this.#started),
          },
        });
      })();
      this.#state = 'done';
    } catch (err) {
      this.#state = 'failed';
      this.#error = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'import failed';
      if (setId !== null) purgeHashSets(this.db);
    } finally {
      await this.reader.close().catch(() => undefined);
      this.#ended = performance.now();
    }
    this.#progress(true);
    const view = this.view();
    this.emit({ event: 'hashset.finished', payload: view });
    return view;
  }
}
