// The reader thread packs entries batch by batch as they are read; the chunk it sends must be
// what packing them all at once gives, field for field and byte for byte.
import { describe, expect, it } from 'vitest';
import { ChunkPacker, packEntries } from '../../../electron/matching/reader-thread/pack.js';
import { variedEntry } from '../../fixtures/hashset-store.js';

describe('ChunkPacker', () => {
  const entries = Array.from({ length: 257 }, (_, i) => variedEntry(i));
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

  it('gives entries one identity when their hashes and category agree, and two when any differs (blockhash too)', () => {
    const base = { ...variedEntry(22), blockhash: Buffer.alloc(32, 7) };
    const variants = [
      base,
      { ...base, fileName: 'another name, same hashes' },
      { ...base, blockhash: Buffer.alloc(32, 8) },
      { ...base, blockhash: null },
      { ...base, category: base.category === 0 ? 1 : 0 },
      { ...base, category: null },
    ];
    const ids = packEntries(variants).identities;
    const identity = (i: number) => Buffer.from(ids.subarray(i * 16, i * 16 + 16)).toString('hex');
    expect(identity(1)).toBe(identity(0));
    expect(new Set([0, 2, 3, 4, 5].map(identity)).size).toBe(5);
  });
});
