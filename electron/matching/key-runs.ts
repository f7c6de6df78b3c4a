// Key runs of the hash sets' exact lookups, as they are made before anything is written: each
// method's keys (a digest's first KEY_PREFIX bytes, a 16-byte identity) gathered with their entry
// ids, sorted and cut into buckets by their leading bits. Nothing here touches the store: the
// engine's HashSetKeyWriter (hashset-keys.ts) writes what this makes, and the RDSv3 reader
// thread makes its runs here too (KeyRunBuilder), off the engine thread.
import { endianness } from 'node:os';
import type { KeyMethod } from '../store/repositories/hashset-keys.js';
import { BULK_DIGEST_WIDTH } from './importers/index.js';
import { gatherKeys, sortKeys, type KeySource } from './key-sort.js';

export type DigestMethod = Exclude<KeyMethod, 'identity'>;

// 1024 buckets: a full run is 128 keys a bucket (1.5 KB a row, within a page); a lookup reads one
// row per run.
export const RUN_BITS = 10;
/** Entries whose keys are held in memory before they are written as a run: about 10 MB of keys and ids (20 MB reserved at most). */
export const RUN_ENTRIES = 1 << 17;
export const MAX_BITS = 24;

/** Bytes of a digest kept as its key (64 bits: a lookup finds one candidate besides its matches once in 2^64 / bucket size). */
export const KEY_PREFIX = 8;
export const KEY_WIDTH: Readonly<Record<KeyMethod, number>> = { md5: KEY_PREFIX, sha1: KEY_PREFIX, sha256: KEY_PREFIX, identity: 16 };
export const DIGEST_WIDTH: Readonly<Record<DigestMethod, number>> = { md5: 16, sha1: 20, sha256: 32 };
/** An entry id in a bucket row: uint32 little-endian, counted from the set's key_base. */
export const ID_BYTES = 4;
const MAX_ID_OFFSET = 2 ** 32;
export const DIGEST_METHODS: readonly DigestMethod[] = ['md5', 'sha1', 'sha256'];
/** Where each digest lies in a packed entry (BULK_DIGEST_WIDTH bytes: SHA-256, SHA-1, MD5). */
export const PACKED_LAYOUT = [
  ['sha256', 0],
  ['sha1', 32],
  ['md5', 52],
] as const satisfies readonly (readonly [DigestMethod, number])[];

/** The first three bytes of a key as an integer: its bucket at any key_bits <= 24 is a shift away. */
export const top24 = (key: Uint8Array, at = 0): number => ((key[at] ?? 0) << 16) | ((key[at + 1] ?? 0) << 8) | (key[at + 2] ?? 0);

/** Keys of one method with their entry ids, growing as entries arrive (up to a run). */
export class KeyColumn {
  keys: Buffer;
  ids: Float64Array;
  length = 0;

  constructor(readonly width: number) {
    this.keys = Buffer.allocUnsafe(1024 * width);
    this.ids = new Float64Array(1024);
  }

  push(source: Uint8Array, offset: number, id: number): void {
    this.#reserve(1);
    this.keys.set(source.subarray(offset, offset + this.width), this.length * this.width);
    this.ids[this.length++] = id;
  }

  /** The key of each of `from.count` records, with consecutive ids from firstId, skipping those whose `zeroWidth` bytes are zeros (key-sort.ts gatherKeys). */
  gather(from: Omit<KeySource, 'width'>, firstId: number, zeroWidth: number): void {
    this.#reserve(from.count);
    this.length += gatherKeys({ ...from, width: this.width }, zeroWidth, this.keys, this.ids, this.length, firstId);
  }

  #reserve(more: number): void {
    if (this.length + more <= this.ids.length) return;
    let capacity = this.ids.length * 2;
    while (capacity < this.length + more) capacity *= 2;
    const keys = Buffer.allocUnsafe(capacity * this.width);
    this.keys.copy(keys, 0, 0, this.length * this.width);
    const ids = new Float64Array(capacity);
    ids.set(this.ids.subarray(0, this.length));
    this.keys = keys;
    this.ids = ids;
  }
}

/**
 * One method's keys of a run as its bucket rows hold them: keys sorted, ids as uint32 offsets from
 * the set's first entry, and [bucket, first key, end key] for each bucket that has keys. Made by
 * the engine for the runs it sorts, and by the reader thread for the RDSv3 path (KeyRunBuilder).
 */
export type BucketedKeys = { readonly method: KeyMethod; readonly keys: Uint8Array; readonly offsets: Uint8Array; readonly buckets: Uint32Array };

const littleEndian = endianness() === 'LE';

/** Sorted keys and their ids cut into buckets at `bits` leading bits, ids counted from `base`. */
export function bucketed(method: KeyMethod, keys: Uint8Array, ids: Float64Array, base: number, bits: number): BucketedKeys {
  const width = KEY_WIDTH[method];
  const words = new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const offset = (ids[i] ?? 0) - base;
    // Only a set of over four billion entries could get here.
    if (!(offset >= 0 && offset < MAX_ID_OFFSET)) throw new Error(`entry ${ids[i]} lies too far from the set's first entry (${base}) for its key layout`);
    words[i] = offset;
  }
  const offsets = Buffer.from(words.buffer);
  if (!littleEndian) offsets.swap32();
  const buckets: number[] = [];
  const shift = MAX_BITS - bits;
  let start = 0;
  let bucket = -1;
  for (let i = 0, at = 0; i < ids.length; i++, at += width) {
    const b = top24(keys, at) >>> shift;
    if (b === bucket) continue;
    if (bucket >= 0) buckets.push(bucket, start, i);
    bucket = b;
    start = i;
  }
  if (bucket >= 0) buckets.push(bucket, start, ids.length);
  return { method, keys, offsets, buckets: Uint32Array.from(buckets) };
}

/** A run of keys made away from the store (KeyRunBuilder), ids counted from 0 in the order entries were read. */
export type PreparedRun = { readonly methods: readonly BucketedKeys[] };

/** The buffers of a prepared run, to transfer it to another thread. */
export const runBuffers = (run: PreparedRun | null): ArrayBuffer[] => (run === null ? [] : run.methods.flatMap((k) => [k.keys.buffer, k.offsets.buffer, k.buckets.buffer] as ArrayBuffer[]));

/**
 * Key runs made where the digests are read (the RDSv3 reader thread), off the engine thread: each
 * entry's id is its position in the order read (0, 1, ...), which is its offset from the set's
 * first entry when the engine stores the entries with consecutive ids, as it checks
 * (HashSetKeyWriter.addStored). Its distinct groups need no duplicate check.
 */
export class KeyRunBuilder {
  readonly #columns: Record<DigestMethod, KeyColumn> = { md5: new KeyColumn(KEY_WIDTH.md5), sha1: new KeyColumn(KEY_WIDTH.sha1), sha256: new KeyColumn(KEY_WIDTH.sha256) };
  #read = 0;
  #held = 0;

  constructor(private readonly runEntries = RUN_ENTRIES) {}

  /** `count` entries' packed digests (BULK_DIGEST_WIDTH bytes each), next in the order read. */
  add(count: number, digests: Uint8Array): void {
    for (const [method, offset] of PACKED_LAYOUT) this.#columns[method].gather({ records: digests, stride: BULK_DIGEST_WIDTH, offset, count }, this.#read, DIGEST_WIDTH[method]);
    this.#read += count;
    this.#held += count;
  }

  get full(): boolean {
    return this.#held >= this.runEntries;
  }

  /** What is held, sorted and bucketed as a run (its buffers its own, to be transferred), or null when nothing is. */
  take(): PreparedRun | null {
    if (this.#held === 0) return null;
    const methods = DIGEST_METHODS.flatMap((method) => {
      const c = this.#columns[method];
      if (c.length === 0) return [];
      // A copy with an ArrayBuffer of its own (never Buffer's shared pool): it is transferred.
      const keys = new Uint8Array(c.keys.subarray(0, c.length * c.width));
      const ids = c.ids.subarray(0, c.length);
      sortKeys(keys, c.width, ids);
      c.length = 0;
      return [bucketed(method, keys, ids, 0, RUN_BITS)];
    });
    this.#held = 0;
    return { methods };
  }
}
