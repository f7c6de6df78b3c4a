// Exact-hash lookup structure of the hash sets, and how an import builds it without random writes.
//
// An import gathers the first KEY_PREFIX bytes of each entry's MD5, SHA-1 and SHA-256 (and, to
// find duplicate entries, a 16-byte identity of its hashes and category) with the entry's id. The
// row holds the whole digests, so a key need only find it: a lookup confirms the digest there, and
// the store writes a third of the bytes it would for whole digests (its pages are encrypted and
// authenticated one by one, and that is most of an import's cost). Ids are stored as 4 bytes,
// counted from the set's first entry (hashsets.key_base). Every RUN_ENTRIES entries the
// keys are sorted in memory and written as a run: per method, one row per bucket of keys sharing
// their leading RUN_BITS bits, in key order, so the store only ever appends. A lookup reads its
// bucket in every run. Up to MAX_RUNS runs are kept as they are; a larger set (or one with
// duplicates to drop) has its runs merged a range of buckets at a time (memory stays bounded
// whatever its size) into one run cut finer, about KEYS_PER_BUCKET keys per bucket.
import type { Db } from '../store/database.js';
import {
  activeBucketsFor,
  deleteEntriesById,
  deleteKeyMethod,
  deleteKeyRuns,
  entryDigests,
  insertKeyBuckets,
  keyBuckets,
  setKeyLayout,
  setsWithoutKeys,
  type KeyBucket,
  type KeyMethod,
} from '../store/repositories/hashset-keys.js';
import { entriesWithDigest } from '../store/repositories/hashsets.js';
import { BULK_DIGEST_WIDTH } from './importers/index.js';
import {
  bucketed,
  DIGEST_METHODS,
  DIGEST_WIDTH,
  ID_BYTES,
  KEY_PREFIX,
  KEY_WIDTH,
  KeyColumn,
  MAX_BITS,
  PACKED_LAYOUT,
  RUN_BITS,
  RUN_ENTRIES,
  top24,
  type BucketedKeys,
  type DigestMethod,
  type PreparedRun,
} from './key-runs.js';
import { sortKeys } from './key-sort.js';

/** Identities held in memory before they are spilled to the store with the runs: 48 MB at most. */
const IDENTITY_IN_MEMORY = 1 << 21;
const BUCKETS = 1 << RUN_BITS;
/** Runs a set may keep unmerged: a lookup then reads up to this many small rows. */
const MAX_RUNS = 8;
/** What the merged layout aims for per bucket: a lookup reads a few pages. */
const KEYS_PER_BUCKET = 128;
/** About how many keys the merge holds at once (each range is also copied once to sort it). */
const MERGE_KEYS = 1 << 18;
const DELETE_SLICE = 10_000;
/** Entries read a page at a time where keys are made from a set's stored entries. */
const REBUILD_PAGE = 20_000;
/** Keys per INSERT of bucket rows: SQLite copies what is bound, so a large run goes in slices. */
const INSERT_KEYS = 1 << 16;

/** Sorted keys and ids as concatenated from bucket rows. */
function concatBuckets(parts: readonly KeyBucket[], width: number, base: number): { keys: Buffer; ids: Float64Array } {
  const keys = Buffer.concat(parts.map((p) => p.keys));
  const ids = new Float64Array(keys.length / width);
  let at = 0;
  for (const p of parts) {
    for (let i = 0; i < p.entries.length; i += ID_BYTES) ids[at++] = base + p.entries.readUInt32LE(i);
  }
  return { keys, ids };
}

/**
 * Writes one method's bucketed keys as the bucket rows of `run` (call inside a transaction), a
 * slice of whole buckets at a time: a set's spilled identities (2 M at most, 40 MB with their
 * ids) bound in one INSERT were copied whole by SQLite, the import's highest point of memory.
 */
function writeBucketed(db: Db, hashsetId: number, run: number, k: BucketedKeys): void {
  const width = KEY_WIDTH[k.method];
  const bytes = (a: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const b = k.buckets;
  for (let i = 0; i < b.length; ) {
    const first = b[i + 1] ?? 0;
    let j = i + 3;
    while (j < b.length && (b[j + 2] ?? 0) - first <= INSERT_KEYS) j += 3;
    const end = b[j - 1] ?? first;
    // The slice's bucket triples, their key positions counted from its first key.
    const slice = b.slice(i, j);
    for (let t = 0; t < slice.length; t += 3) {
      slice[t + 1] = (slice[t + 1] ?? 0) - first;
      slice[t + 2] = (slice[t + 2] ?? 0) - first;
    }
    insertKeyBuckets(db, hashsetId, k.method, run, width, bytes(k.keys.subarray(first * width, end * width)), bytes(k.offsets.subarray(first * ID_BYTES, end * ID_BYTES)), slice);
    i = j;
  }
}

/** Indexes in sorted `keys` equal to `key`. */
function* positionsOf(keys: Buffer, width: number, key: Uint8Array): Generator<number> {
  let lo = 0;
  let hi = keys.length / width;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Buffer.compare(keys.subarray(mid * width, mid * width + width), key) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < keys.length / width && Buffer.compare(keys.subarray(i * width, i * width + width), key) === 0; i++) yield i;
}

export type KeyOutcome = {
  /** Entries once duplicates are dropped. */
  readonly distinct: number;
  readonly duplicates: number;
  readonly keyBits: number;
  readonly keyRun: number;
  /** The set's first entry id, from which the ids in its key rows count. */
  readonly keyBase: number;
};

export class HashSetKeyWriter {
  readonly #columns: Record<KeyMethod, KeyColumn> = {
    md5: new KeyColumn(KEY_WIDTH.md5),
    sha1: new KeyColumn(KEY_WIDTH.sha1),
    sha256: new KeyColumn(KEY_WIDTH.sha256),
    identity: new KeyColumn(KEY_WIDTH.identity),
  };
  readonly #totals: Record<KeyMethod, number> = { md5: 0, sha1: 0, sha256: 0, identity: 0 };
  #entries = 0;
  #held = 0;
  #runs = 0;
  #identitySpilled = false;
  /** The first id added: ids only grow, within an import and when keys are built from a set's entries. */
  #base: number | null = null;
  /** Prepared runs no longer hold offsets from #base: the keys are made from the stored entries at the end. */
  #fromStore = false;

  constructor(
    private readonly db: Db,
    private readonly hashsetId: number,
    private readonly runEntries = RUN_ENTRIES,
    private readonly identitiesInMemory = IDENTITY_IN_MEMORY,
  ) {}

  /** One stored entry's digests (building keys for a set that has none: its entries are already distinct). */
  add(id: number, digests: { readonly md5: Buffer | null; readonly sha1: Buffer | null; readonly sha256: Buffer | null }): void {
    this.#base ??= id;
    for (const method of DIGEST_METHODS) {
      const digest = digests[method];
      if (digest !== null) this.#columns[method].push(digest, 0, id);
    }
    this.#entries++;
    this.#held++;
  }

  /**
   * `count` entries with consecutive ids from `firstId`, their digests packed BULK_DIGEST_WIDTH
   * bytes each (SHA-256, SHA-1, MD5, all zeros where the entry has none) and, when duplicates are
   * to be found, their 16-byte identities.
   */
  addPacked(firstId: number, count: number, digests: Uint8Array, identities?: Uint8Array): void {
    this.#base ??= firstId;
    for (const [method, offset] of PACKED_LAYOUT) this.#columns[method].gather({ records: digests, stride: BULK_DIGEST_WIDTH, offset, count }, firstId, DIGEST_WIDTH[method]);
    if (identities !== undefined) this.#columns.identity.gather({ records: identities, stride: 16, offset: 0, count }, firstId, 0);
    this.#entries += count;
    this.#held += count;
  }

  /**
   * `count` entries stored with consecutive ids from `firstId`, whose keys come as prepared runs
   * (writeRun). Those hold each entry's position in the order read, its offset from the set's
   * first entry only while the ids run on without a gap (another writer's rows could make one):
   * after a gap they are dropped, and finish() makes the keys from the stored entries instead.
   */
  addStored(firstId: number, count: number): void {
    this.#base ??= firstId;
    if (firstId !== this.#base + this.#entries) this.#fromStore = true;
    this.#entries += count;
  }

  /** A run prepared by KeyRunBuilder, written as the next run in one transaction. */
  writeRun(run: PreparedRun): void {
    if (this.#fromStore) return;
    const number = this.#runs++;
    this.db.transaction(() => {
      for (const k of run.methods) {
        writeBucketed(this.db, this.hashsetId, number, k);
        this.#totals[k.method] += k.keys.length / KEY_WIDTH[k.method];
      }
    })();
  }

  /** Every entry the store holds for the set (distinct already), a page at a time; returns how many. */
  addStoredEntries(): number {
    let entries = 0;
    for (let after = 0; ; ) {
      const page = entryDigests(this.db, this.hashsetId, after, REBUILD_PAGE);
      if (page.length === 0) return entries;
      for (const e of page) this.add(e.id, e);
      entries += page.length;
      after = page[page.length - 1]?.id ?? after;
      if (this.full) this.flushRun();
    }
  }

  /** A run's worth of entries is held: write it (flushRun) between two of the import's transactions. */
  get full(): boolean {
    return this.#held >= this.runEntries;
  }

  /** Sorts what is held and writes it as the next run, in one transaction. */
  flushRun(): void {
    const run = this.#runs++;
    // Identities stay in memory (16 bytes and an id per entry) unless a set is too large for
    // that; then they go to the store with the runs, from this run on. Until the next flush the
    // column takes up to a run and a chunk more: spilled before that could outgrow the bound
    // (the column would double its room, and a 3 M-entry import peaked 95 MB higher).
    const identity = this.#columns.identity;
    const spilling = !this.#identitySpilled && identity.length + 2 * this.runEntries > this.identitiesInMemory;
    this.#identitySpilled ||= spilling;
    this.db.transaction(() => {
      for (const column of Object.keys(this.#columns) as KeyMethod[]) {
        const c = this.#columns[column];
        if (c.length === 0 || (column === 'identity' && !this.#identitySpilled)) continue;
        const keys = c.keys.subarray(0, c.length * c.width);
        const ids = c.ids.subarray(0, c.length);
        sortKeys(keys, c.width, ids);
        writeBucketed(this.db, this.hashsetId, run, bucketed(column, keys, ids, this.#keyBase, RUN_BITS));
        this.#totals[column] += c.length;
        c.length = 0;
      }
    })();
    // From now on the column holds a run's identities, not the set's: its room goes.
    if (spilling) this.#columns.identity = new KeyColumn(KEY_WIDTH.identity);
    this.#held = 0;
  }

  /** How many identities the writer has room for in memory: never more than identitiesInMemory. */
  get identityRoom(): number {
    return this.#columns.identity.ids.length;
  }

  get #keyBase(): number {
    return this.#base ?? 0;
  }

  /** After the last entry: finds and deletes duplicate entries, merges the runs; the set's layout is returned, not yet recorded. */
  finish(): KeyOutcome {
    if (this.#fromStore) {
      this.db.transaction(() => deleteKeyRuns(this.db, this.hashsetId))();
      this.#fromStore = false;
      this.#runs = 0;
      this.#entries = 0;
      for (const method of DIGEST_METHODS) this.#totals[method] = 0;
      this.addStoredEntries();
    }
    if (this.#held > 0 || this.#runs === 0) this.flushRun();
    const runs = this.#runs;
    let duplicates: Float64Array<ArrayBufferLike> = new Float64Array(0);
    if (this.#identitySpilled) {
      duplicates = this.#duplicates(runs);
      this.db.transaction(() => deleteKeyMethod(this.db, this.hashsetId, 'identity'))();
    } else if (this.#columns.identity.length > 0) {
      const c = this.#columns.identity;
      duplicates = duplicatesIn(c.keys.subarray(0, c.length * 16), c.ids.subarray(0, c.length));
      c.length = 0;
    }
    const distinct = this.#entries - duplicates.length;
    const keyBase = this.#keyBase;
    if (runs <= MAX_RUNS && duplicates.length === 0) return { distinct, duplicates: 0, keyBits: RUN_BITS, keyRun: 0, keyBase };

    const largest = Math.max(...DIGEST_METHODS.map((m) => this.#totals[m]));
    const keyBits = Math.min(MAX_BITS, RUN_BITS + Math.max(0, Math.ceil(Math.log2(largest / (BUCKETS * KEYS_PER_BUCKET)))));
    const keyRun = runs;
    for (const method of DIGEST_METHODS) {
      this.#inRanges(method, runs, (keys, ids) => {
        const kept = duplicates.length === 0 ? { keys, ids } : withoutIds(keys, ids, KEY_WIDTH[method], duplicates);
        sortKeys(kept.keys, KEY_WIDTH[method], kept.ids);
        writeBucketed(this.db, this.hashsetId, keyRun, bucketed(method, kept.keys, kept.ids, keyBase, keyBits));
      });
    }
    this.db.transaction(() => deleteKeyRuns(this.db, this.hashsetId, keyRun))();
    for (let i = 0; i < duplicates.length; i += DELETE_SLICE) {
      const slice = Array.from(duplicates.subarray(i, i + DELETE_SLICE));
      this.db.transaction(() => deleteEntriesById(this.db, slice))();
    }
    return { distinct, duplicates: duplicates.length, keyBits, keyRun, keyBase };
  }

  /** The ids of entries whose identity an earlier entry (lower id) already has, ascending, from the identity runs. */
  #duplicates(runs: number): Float64Array {
    const found: number[] = [];
    this.#inRanges(
      'identity',
      runs,
      (keys, ids) => {
        for (const id of duplicatesIn(keys, ids)) found.push(id);
      },
      false,
    );
    return Float64Array.from(found).sort();
  }

  /** Hands the keys of all runs to `use`, a range of buckets at a time, each range in a transaction when `write`. */
  #inRanges(method: KeyMethod, runs: number, use: (keys: Buffer, ids: Float64Array) => void, write = true): void {
    const total = this.#totals[method];
    if (total === 0) return;
    const span = Math.max(1, Math.floor((BUCKETS * MERGE_KEYS) / total));
    for (let from = 0; from < BUCKETS; from += span) {
      const to = Math.min(BUCKETS, from + span) - 1;
      const parts = keyBuckets(this.db, this.hashsetId, method, runs, from, to);
      if (parts.length === 0) continue;
      const { keys, ids } = concatBuckets(parts, KEY_WIDTH[method], this.#keyBase);
      if (write) this.db.transaction(() => use(keys, ids))();
      else use(keys, ids);
    }
  }
}

/** Sorts identities with their ids and returns, ascending, the ids of every repeat but the first (lowest id). */
function duplicatesIn(keys: Buffer, ids: Float64Array): Float64Array {
  sortKeys(keys, 16, ids);
  const found: number[] = [];
  // Neighbours compared four words at a time where the keys are word-aligned (a Buffer.compare
  // call per pair cost 0.1 s per million); byte by byte otherwise.
  if (keys.byteOffset % 4 === 0) {
    const words = new Uint32Array(keys.buffer, keys.byteOffset, ids.length * 4);
    for (let i = 1, w = 4; i < ids.length; i++, w += 4) {
      if (words[w] === words[w - 4] && words[w + 1] === words[w - 3] && words[w + 2] === words[w - 2] && words[w + 3] === words[w - 1]) found.push(ids[i] ?? 0);
    }
  } else {
    for (let i = 1; i < ids.length; i++) {
      if (keys.compare(keys, (i - 1) * 16, i * 16, i * 16, i * 16 + 16) === 0) found.push(ids[i] ?? 0);
    }
  }
  return Float64Array.from(found).sort();
}

function withoutIds(keys: Buffer, ids: Float64Array, width: number, drop: Float64Array): { keys: Buffer; ids: Float64Array } {
  const keptKeys = Buffer.allocUnsafe(keys.length);
  const keptIds = new Float64Array(ids.length);
  let n = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] ?? 0;
    if (contains(drop, id)) continue;
    keys.copy(keptKeys, n * width, i * width, i * width + width);
    keptIds[n++] = id;
  }
  return { keys: keptKeys.subarray(0, n * width), ids: keptIds.subarray(0, n) };
}

function contains(sorted: Float64Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] === value;
}

export type ExactHit = { readonly entryId: number; readonly hashsetId: number; readonly category: number | null };

/** Every entry of an active set whose `method` digest equals `digest`. */
export function exactHits(db: Db, method: DigestMethod, digest: Buffer): ExactHit[] {
  if (digest.length !== DIGEST_WIDTH[method]) return [];
  const prefix = digest.subarray(0, KEY_PREFIX);
  const ids: number[] = [];
  for (const bucket of activeBucketsFor(db, method, top24(digest))) {
    for (const i of positionsOf(bucket.keys, KEY_PREFIX, prefix)) ids.push(bucket.keyBase + bucket.entries.readUInt32LE(i * ID_BYTES));
  }
  if (ids.length === 0) return [];
  // A key is the digest's prefix: the whole digest is confirmed on the entry's row.
  return entriesWithDigest(db, method, ids)
    .filter((e) => e.digest !== null && digest.equals(e.digest))
    .map((e) => ({ entryId: e.id, hashsetId: e.hashsetId, category: e.category }));
}


/**
 * Builds the key buckets of sets stored before they existed (a store migrated to 0040), from
 * their entries, which were deduplicated when imported. Returns the sets built.
 */
export function buildMissingKeys(db: Db): { readonly hashsetId: number; readonly entries: number }[] {
  const built: { hashsetId: number; entries: number }[] = [];
  for (const hashsetId of setsWithoutKeys(db)) {
    const writer = new HashSetKeyWriter(db, hashsetId);
    const entries = writer.addStoredEntries();
    const layout = writer.finish();
    db.transaction(() => setKeyLayout(db, hashsetId, layout))();
    built.push({ hashsetId, entries });
  }
  return built;
}
