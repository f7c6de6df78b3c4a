// An entry's identity within its set: its hashes and category. The same hash listed twice (NSRL
// lists a file once per product) is one entry, the first; the same hash with two categories is
// two, so the conflict stays visible. Fixed-width records (a presence byte says which fields are
// there), hashed to 16 bytes by recordKeys.
import type { ImportedEntry } from '../importers/index.js';

const IDENTITY_FIELDS = [
  { field: 'md5', offset: 0, width: 16 },
  { field: 'sha1', offset: 16, width: 20 },
  { field: 'sha256', offset: 36, width: 32 },
  { field: 'pdq', offset: 68, width: 32 },
  { field: 'blockhash', offset: 100, width: 32 },
] as const;
const PRESENT = 132;
const CATEGORY = 133;
export const IDENTITY_WIDTH = CATEGORY + 8;

export function identityRecords(batch: readonly ImportedEntry[]): Buffer {
  const records = Buffer.alloc(batch.length * IDENTITY_WIDTH);
  batch.forEach((e, i) => {
    const at = i * IDENTITY_WIDTH;
    let present = 0;
    IDENTITY_FIELDS.forEach(({ field, offset, width }, k) => {
      const digest = e[field];
      if (digest === null) return;
      present |= 1 << k;
      records.set(digest.subarray(0, width), at + offset);
    });
    if (e.category !== null) {
      present |= 1 << IDENTITY_FIELDS.length;
      records.writeDoubleLE(e.category, at + CATEGORY);
    }
    records[at + PRESENT] = present;
  });
  return records;
}
