// The reader thread packs entries batch by batch as they are read; the chunk it sends must be
// what packing them all at once gives, field for field and byte for byte.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { ImportedEntry } from '../../../electron/matching/importers/index.js';
import { ChunkPacker, packEntries } from '../../../electron/matching/reader-thread/pack.js';

function entry(i: number): ImportedEntry {
  return {
    md5: i % 3 === 0 ? null : randomBytes(16),
    sha1: i % 4 === 0 ? null : randomBytes(20),
    sha256: i % 2 === 0 ? randomBytes(32) : null,
    pdq: i % 5 === 0 ? randomBytes(32) : null,
    pdqQuality: i % 5 === 0 ? 90 : null,
    photoDna: i % 7 === 0 ? `opaque-${i}` : null,
    category: i % 6 === 0 ? null : i % 4,
    series: i % 2 === 0 ? `serie "${i}"` : null,
    victimIdentified: i % 3 === 0 ? null : i % 2 === 0,
    fileName: `carpeta/año-${i}.jpg`,
    fileSize: i * 1000,
    extra: i % 2 === 0 ? { MediaID: i } : null,
  };
}

describe('ChunkPacker', () => {
  const entries = Array.from({ length: 257 }, (_, i) => entry(i));
  const whole = packEntries(entries);

  it('packs batches added one by one into the chunk packing them at once gives', () => {
    const packer = new ChunkPacker();
    for (const [from, to] of [[0, 1], [1, 100], [100, 100], [100, 257]] as const) packer.add(entries.slice(from, to));
    expect(packer.count).toBe(257);
    const chunk = packer.take();
    expect(chunk.rows).toBe(whole.rows);
    expect(JSON.parse(chunk.rows)).toHaveLength(257);
    expect(Buffer.from(chunk.digests).equals(Buffer.from(whole.digests))).toBe(true);
    expect(Buffer.from(chunk.identities).equals(Buffer.from(whole.identities))).toBe(true);
    expect(chunk.categorised).toBe(true);
    // Each buffer owns its memory: it is transferred to the engine thread.
    expect(chunk.digests.byteLength).toBe(chunk.digests.buffer.byteLength);
    expect(chunk.identities.byteLength).toBe(chunk.identities.buffer.byteLength);
  });

  it('starts afresh after each take', () => {
    const packer = new ChunkPacker();
    packer.add(entries.slice(0, 10));
    packer.take();
    expect(packer.count).toBe(0);
    const uncategorised = entries.filter((e) => e.category === null).slice(0, 5);
    packer.add(uncategorised);
    const chunk = packer.take();
    expect(chunk.rows).toBe(packEntries(uncategorised).rows);
    expect(chunk.categorised).toBe(false);
    expect(packer.take().rows).toBe('[]');
  });
});
