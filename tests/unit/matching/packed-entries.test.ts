// What the import writes is what the reader read: every field of every entry, packed on the
// reader thread and bound row by row on the engine thread, comes back from the store as it was,
// absent digests as NULL, a null category apart from 0, across the statements' row boundaries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportedEntry } from '../../../electron/matching/importers/index.js';
import { packEntries } from '../../../electron/matching/reader-thread/pack.js';
import { insertPackedEntries } from '../../../electron/store/repositories/hashsets.js';
import { closeStore, createStore, type OpenStore } from '../../../electron/store/store.js';
import { insertGeneratedSet, variedEntry } from '../../fixtures/hashset-store.js';

let dir: string;
let store: OpenStore;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'custos-packed-'));
  store = await createStore(join(dir, 'store'), 'alice', 'correct horse battery staple', () => undefined);
});
afterAll(() => {
  closeStore(store);
  rmSync(dir, { recursive: true, force: true });
});

type Row = Record<string, unknown>;

describe('insertPackedEntries', () => {
  it.each([1, 100, 101, 257])('stores %i packed entries field for field, with consecutive ids in order', (n) => {
    const db = store.db;
    const setId = insertGeneratedSet(db, { name: `set ${n}`, format: 'vics', importedBy: 'test' });
    const entries = Array.from({ length: n }, (_, i) => variedEntry(i));
    const packed = packEntries(entries);
    const digests = Buffer.from(packed.digests.buffer, packed.digests.byteOffset, packed.digests.byteLength);
    const { firstId, count } = db.transaction(() => insertPackedEntries(db, setId, digests, packed.rows))();
    expect(count).toBe(n);
    const rows = db.prepare('SELECT * FROM hashset_entries WHERE hashset_id = ? ORDER BY id').all(setId) as Row[];
    expect(rows.map((r) => r.id)).toEqual(entries.map((_, i) => firstId + i));
    rows.forEach((r, i) => {
      const e = entries[i] as ImportedEntry;
      expect({
        md5: r.md5,
        sha1: r.sha1,
        sha256: r.sha256,
        pdq: r.pdq,
        pdq_quality: r.pdq_quality,
        blockhash: r.blockhash,
        photodna: r.photodna,
        category: r.category,
        series: r.series,
        victim_identified: r.victim_identified,
        file_name: r.file_name,
        file_size: r.file_size,
        extra: r.extra === null ? null : JSON.parse(r.extra as string),
      }).toEqual({
        md5: e.md5,
        sha1: e.sha1,
        sha256: e.sha256,
        pdq: e.pdq,
        pdq_quality: e.pdqQuality,
        blockhash: e.blockhash,
        photodna: e.photoDna,
        category: e.category,
        series: e.series,
        victim_identified: e.victimIdentified === null ? null : e.victimIdentified ? 1 : 0,
        file_name: e.fileName,
        file_size: e.fileSize,
        extra: e.extra,
      });
    });
  });
});
