// Importing a hash set: the file is read once to hash it (its SHA-256 goes into custody) and
// once by the streaming reader of its format, on a thread of its own (reader-thread/); this
// thread writes the chunks it packs into a set that stays 'importing', with their keys
// (hashset-keys.ts), until the last transaction makes it active (replacing the set of the same
// name) together with its custody event. A file that turns out not to be the format named, a
// stop or a crash leaves the store as it was: the partial set is purged.
import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { EngineEvent, HashSetFormatName, HashSetImportView, HashSetKind, HashSetView } from '../api/contract.js';
import type { Db } from '../store/database.js';
import { holdRollbackJournal } from '../store/bulk-journal.js';
import { CustosError } from '../store/errors.js';
import { deleteKeyRuns } from '../store/repositories/hashset-keys.js';
import {
  activateHashSet,
  deleteEntries,
  deleteImportingSet,
  findActiveSet,
  getHashSet,
  insertPackedEntries,
  insertRdsEntries,
  insertHashSet,
  purgeableSets,
} from '../store/repositories/hashsets.js';
import { appendEvent } from '../custody/log.js';
import { isScheme } from '../review/category-schemes.js';
import { HashSetKeyWriter } from './hashset-keys.js';
import { IdleFileHash } from './idle-file-hash.js';
import { BULK_DIGEST_WIDTH, HashSetFormatError, openHashSet, type HashSetReader, type MalformedReport } from './importers/index.js';
import type { EntriesChunk, RdsChunk } from './reader-thread/protocol.js';
import { ReaderThread } from './reader-thread/thread.js';

const PROGRESS_EVERY_MS = 250;
const PURGE_SLICE = 50_000;

/** Sets being imported by this process: never purged from under their import. */
const importing = new Set<number>();

export type ImportRequest = {
  readonly path: string;
  readonly name: string;
  readonly format: HashSetFormatName;
  readonly kind?: HashSetKind;
  readonly scheme?: string;
  readonly actor: string;
};

/** Deletes what half-finished imports left, and the entries and keys of retired sets nothing points at. */
export function purgeHashSets(db: Db): void {
  for (const id of purgeableSets(db)) {
    if (importing.has(id)) continue;
    while (db.transaction(() => deleteEntries(db, id, PURGE_SLICE))() > 0);
    db.transaction(() => {
      deleteKeyRuns(db, id);
      deleteImportingSet(db, id);
    })();
  }
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
  #bytesRead = 0;
  #malformed: MalformedReport = { count: 0, first: [] };

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
    // Kept for what it told of the file (format, version, size); the reader thread reads it.
    await reader.close();
    return new HashSetImportRun(importId, db, { ...request, path }, reader, emit);
  }

  /** Abandons the import after the batch in hand (lock, shutdown); nothing of it is kept. */
  async stop(reason: string): Promise<HashSetImportView> {
    this.#stopReason ??= reason;
    return this.finished;
  }

  view(): HashSetImportView {
    const malformed = this.#malformed;
    return {
      importId: this.importId,
      name: this.request.name,
      state: this.#state,
      bytesTotal: this.reader.totalBytes,
      bytesDone: this.#state === 'done' ? this.reader.totalBytes : Math.min(this.#bytesRead, this.reader.totalBytes),
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
    let fileHash: IdleFileHash | null = null;
    let releaseJournal: (() => void) | null = null;
    let thread: ReaderThread | null = null;
    try {
      const { path, name, actor } = this.request;
      // Advanced by both threads where it can be (idle-file-hash.ts).
      fileHash = new IdleFileHash(path, { shared: true });
      // The file is read and parsed on a thread of its own (this one writes what it packs),
      // started first so that it starts up while this thread prepares the set.
      thread = new ReaderThread({ path, format: this.reader.format, sharedHash: fileHash.share ?? undefined });
      purgeHashSets(this.db);
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
          // Known once the file has been hashed, in the import's idle moments; set on activation.
          sourceSha256: '',
          sourceSize,
          importedAt: now,
          importedBy: actor,
        }),
      )();
      setId = id;
      importing.add(id);
      releaseJournal = holdRollbackJournal(this.db);
      const keys = new HashSetKeyWriter(this.db, id);
      let categorised = false;
      let readerHashes = false;
      try {
        const chunks = thread.chunks();
        for (;;) {
          // Where the reader thread hashes the file (it is the one that waits), this one does not.
          const next: IteratorResult<EntriesChunk | RdsChunk> = readerHashes ? await chunks.next() : await fileHash.whileWaiting(chunks.next(), this.#bytesRead);
          if (next.done === true) break;
          const chunk: EntriesChunk | RdsChunk = next.value;
          if (this.#stopReason !== null) throw new Error(`import stopped (${this.#stopReason}): nothing of it was kept`);
          const digests = chunk.digests;
          const insert = chunk.type === 'rds' ? insertRdsEntries : insertPackedEntries;
          const { firstId, count } = this.db.transaction(() => insert(this.db, id, digests, chunk.rows))();
          if (count !== chunk.entries || digests.length !== count * BULK_DIGEST_WIDTH) throw new Error(`a chunk of ${chunk.entries} entries stored ${count}`);
          readerHashes = chunk.readerHashes;
          if (chunk.type === 'rds') {
            keys.addStored(firstId, count);
            if (chunk.run !== null) keys.writeRun(chunk.run);
            this.#entriesRead += chunk.rowsRead;
          } else {
            keys.addPacked(firstId, count, digests, chunk.identities);
            this.#entriesRead += chunk.entries;
            categorised ||= chunk.categorised;
          }
          if (keys.full) keys.flushRun();
          this.#bytesRead = chunk.bytesRead;
          this.#malformed = chunk.malformed;
          this.#progress();
        }
      } finally {
        await thread.close();
      }
      for (const run of thread.runs) keys.writeRun(run);
      this.#malformed = thread.malformed;
      const malformed = this.#malformed;
      if (this.#entriesRead === 0) {
        throw new HashSetFormatError(
          malformed.count > 0
            ? `no valid entry in ${basename(path)} (${malformed.count} malformed, first at line ${malformed.first[0]?.line ?? '?'}: ${malformed.first[0]?.reason ?? ''}): not a ${this.reader.format} hash set`
            : `${basename(path)} holds no entries`,
        );
      }
      const scheme = this.request.scheme ?? this.reader.schemeHint ?? (categorised ? 'vics-us' : 'none');
      if (this.#stopReason !== null) throw new Error(`import stopped (${this.#stopReason}): nothing of it was kept`);
      const layout = keys.finish();
      const stored = layout.distinct;
      const source = thread.source ?? fileHash.finish();
      if (source.size !== sourceSize) throw new Error(`${basename(path)} changed while it was being imported (${sourceSize} bytes, then ${source.size}): nothing of it was kept`);
      const sourceSha256 = source.sha256;
      this.db.transaction(() => {
        const previous = findActiveSet(this.db, name);
        activateHashSet(
          this.db,
          id,
          { entries: stored, malformed: malformed.count, scheme, keyBits: layout.keyBits, keyRun: layout.keyRun, keyBase: layout.keyBase, sourceSha256 },
          previous?.id ?? null,
          new Date().toISOString(),
        );
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
      if (setId !== null) importing.delete(setId);
      if (setId !== null) purgeHashSets(this.db);
    } finally {
      await thread?.close();
      fileHash?.close();
      releaseJournal?.();
      if (setId !== null) importing.delete(setId);
      this.#ended = performance.now();
    }
    this.#progress(true);
    const view = this.view();
    this.emit({ event: 'hashset.finished', payload: view });
    return view;
  }
}
