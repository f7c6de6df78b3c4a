// Gathering and sorting hash keys with their entry ids, and the identity keys that find
// duplicate entries: custos-native when built, else the same results from TypeScript (slower).
import { hash } from 'node:crypto';
import { nativeAddon } from '../native/custos-native.js';

type KeyKernels = {
  sortKeys(keys: Uint8Array, width: number, ids: Float64Array): void;
  recordKeys(records: Uint8Array, width: number): Uint8Array;
  gatherKeys(records: Uint8Array, stride: number, offset: number, width: number, count: number, zeroWidth: number, keys: Uint8Array, ids: Float64Array, at: number, firstId: number): number;
};

function load(): KeyKernels | null {
  const kernels = nativeAddon<KeyKernels>();
  return typeof kernels?.sortKeys === 'function' && typeof kernels.recordKeys === 'function' && typeof kernels.gatherKeys === 'function' ? (kernels as KeyKernels) : null;
}

const native = load();

/** Sorts `ids.length` keys of `width` bytes in place by (key, id), each id moving with its key. */
export function sortKeys(keys: Uint8Array, width: number, ids: Float64Array): void {
  if (keys.length !== ids.length * width) throw new RangeError('keys must hold exactly one key per id');
  if (native) return native.sortKeys(keys, width, ids);
  sortKeysPortable(keys, width, ids);
}

function sortKeysPortable(keys: Uint8Array, width: number, ids: Float64Array): void {
  const n = ids.length;
  const view = Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => Buffer.compare(view.subarray(a * width, a * width + width), view.subarray(b * width, b * width + width)) || (ids[a] ?? 0) - (ids[b] ?? 0),
  );
  const sortedKeys = Buffer.allocUnsafe(n * width);
  const sortedIds = new Float64Array(n);
  order.forEach((from, to) => {
    view.copy(sortedKeys, to * width, from * width, from * width + width);
    sortedIds[to] = ids[from] ?? 0;
  });
  sortedKeys.copy(view);
  ids.set(sortedIds);
}

/** Where gatherKeys takes keys from: `count` records of `stride` bytes, each key `width` bytes at `offset`. */
export type KeySource = { readonly records: Uint8Array; readonly stride: number; readonly offset: number; readonly width: number; readonly count: number };

/**
 * Copies each record's key into `keys` (packed, from key position `at`) and its id, firstId + the
 * record's index, into `ids`, skipping records whose `zeroWidth` bytes at the key's offset are all
 * zero (a digest the entry does not have, of which the key may be a prefix; 0 skips none).
 * Returns how many were copied; `keys` and `ids` must have room for all.
 */
export function gatherKeys(from: KeySource, zeroWidth: number, keys: Uint8Array, ids: Float64Array, at: number, firstId: number): number {
  const { records, stride, offset, width, count } = from;
  if (offset + Math.max(width, zeroWidth) > stride || records.length < count * stride) throw new RangeError('records must hold count records, each key inside its record');
  if (keys.length < (at + count) * width || ids.length < at + count) throw new RangeError('keys and ids must have room for count more');
  if (native) return native.gatherKeys(records, stride, offset, width, count, zeroWidth, keys, ids, at, firstId);
  return gatherKeysPortable(from, zeroWidth, keys, ids, at, firstId);
}

function gatherKeysPortable(from: KeySource, zeroWidth: number, keys: Uint8Array, ids: Float64Array, at: number, firstId: number): number {
  const { records, stride, offset, width, count } = from;
  let to = at;
  for (let i = 0; i < count; i++) {
    const start = i * stride + offset;
    if (zeroWidth > 0 && records.subarray(start, start + zeroWidth).every((b) => b === 0)) continue;
    keys.set(records.subarray(start, start + width), to * width);
    ids[to++] = firstId + i;
  }
  return to - at;
}

/**
 * A 16-byte identity per fixed-width record, equal for equal records. The native kernel uses a
 * fast non-cryptographic 128-bit hash; the fallback MD5. Either way a store holds keys from one
 * of them only for the length of an import.
 */
export function recordKeys(records: Uint8Array, width: number): Uint8Array {
  if (records.length % width !== 0) throw new RangeError('records must be a whole number of records');
  if (native) return native.recordKeys(records, width);
  return recordKeysPortable(records, width);
}

function recordKeysPortable(records: Uint8Array, width: number): Uint8Array {
  const n = records.length / width;
  const out = Buffer.allocUnsafe(n * 16);
  for (let i = 0; i < n; i++) out.set(hash('md5', records.subarray(i * width, i * width + width), 'buffer'), i * 16);
  return out;
}

/** Both implementations, whichever is in use, for the tests that hold them to the same results. */
export const keyKernels = { native, portable: { sortKeys: sortKeysPortable, recordKeys: recordKeysPortable, gatherKeys: gatherKeysPortable } } as const;
