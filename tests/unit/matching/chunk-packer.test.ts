// The reader thread packs entries batch by batch as they are read; the chunk it sends must be
// what packing them all at once gives, field for field and byte for byte.
import { describe, expect, it } from 'vitest';
import { BufferPool } from '../../../electron/matching/reader-thread/buffer-pool.js';
import { ChunkPacker, packEntries } from '../../../electron/matching/reader-thread/pack.js';
import { variedEntry } from '../../fixtures/hashset-store.js';

const text = (rows: Uint8Array) => Buffer.from(rows).toString('utf8');

describe('ChunkPacker', () => {
  const entries = Array.from({ length: 257 }, (_, i) => variedEntry(i));
  const whole = packEntries(entries);

  it('packs batches added one by one into the chunk packing them at once gives', () => {
    const packer = new ChunkPacker();
    for (const [from, to] of [[0, 1], [1, 100], [100, 100], [100, 257]] as const) packer.add(entries.slice(from, to));
    expect(packer.count).toBe(257);
    const chunk = packer.take();
    expect(text(chunk.rows)).toBe(text(whole.rows));
    expect(JSON.parse(text(chunk.rows))).toHaveLength(257);
    expect(Buffer.from(chunk.digests).equals(Buffer.from(whole.digests))).toBe(true);
    expect(Buffer.from(chunk.identities).equals(Buffer.from(whole.identities))).toBe(true);
    expect(chunk.categorised).toBe(true);
    // Each buffer lies alone in its ArrayBuffer: they are transferred to the engine thread.
    expect(new Set([chunk.rows.buffer, chunk.digests.buffer, chunk.identities.buffer]).size).toBe(3);
  });

  it('starts afresh after each take', () => {
    const packer = new ChunkPacker();
    packer.add(entries.slice(0, 10));
    packer.take();
    expect(packer.count).toBe(0);
    const uncategorised = entries.filter((e) => e.category === null).slice(0, 5);
    packer.add(uncategorised);
    const chunk = packer.take();
    expect(text(chunk.rows)).toBe(text(packEntries(uncategorised).rows));
    expect(chunk.categorised).toBe(false);
    expect(text(packer.take().rows)).toBe('[]');
  });

  it('fills the buffers given back to its pool again, and packs the same chunks with them', () => {
    const pool = new BufferPool();
    const packer = new ChunkPacker(pool);
    const chunks = [entries.slice(0, 200), entries.slice(200, 210), entries.slice(0, 257)];
    const seen = new Set<ArrayBufferLike>();
    for (const batch of chunks) {
      packer.add(batch.slice(0, 5));
      packer.add(batch.slice(5));
      const chunk = packer.take();
      const alone = packEntries(batch);
      expect(text(chunk.rows)).toBe(text(alone.rows));
      expect(Buffer.from(chunk.digests).equals(Buffer.from(alone.digests))).toBe(true);
      expect(Buffer.from(chunk.identities).equals(Buffer.from(alone.identities))).toBe(true);
      for (const b of [chunk.rows.buffer, chunk.digests.buffer, chunk.identities.buffer]) seen.add(b);
      // As the engine does once the chunk is written: views of larger buffers, given back.
      pool.give([chunk.rows.buffer, chunk.digests.buffer, chunk.identities.buffer] as ArrayBuffer[]);
    }
    // The second chunk fitted the first's buffers; the third outgrew some and took new ones.
    expect(seen.size).toBeLessThan(9);
  });

  it('gives out the smallest pooled buffer that fits, and keeps only the largest few', () => {
    const pool = new BufferPool();
    const [small, large] = [new ArrayBuffer(100 << 10), new ArrayBuffer(1 << 20)];
    pool.give([large, small]);
    expect(pool.take(50 << 10)).toBe(small);
    expect(pool.take(50 << 10)).toBe(large);
    const fresh = pool.take(70_000);
    expect(fresh.byteLength).toBeGreaterThanOrEqual(70_000);
    expect([small, large]).not.toContain(fresh);
    pool.give(Array.from({ length: 40 }, (_, i) => new ArrayBuffer((i + 1) << 10)));
    // Only the largest dozen are kept.
    const taken = Array.from({ length: 13 }, () => pool.take(1).byteLength >> 10);
    expect(taken).toEqual([29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 64]);
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
