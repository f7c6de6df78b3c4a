import { afterAll, describe, expect, it } from 'vitest';
import { encaseHashFile, HexSource } from '../../../fixtures/hashset-files.js';
import { hex, readAll, readError, TempFiles } from './reading.js';

const files = new TempFiles();
afterAll(() => files.dispose());
const source = new HexSource(5);
const md5s = Array.from({ length: 70_000 }, () => source.hex(32));

describe('EnCase .hash (generated from the documented layout: no public sample exists)', () => {
  it('reads every MD5, the set name and category from the header, in batches', async () => {
    const path = files.write('set.hash', encaseHashFile({ name: 'Conjunto de prueba ñ', category: 'Notable', md5s }));
    const { reader, entries, batches, malformed } = await readAll(path, 'auto');
    expect(reader.format).toBe('encase');
    expect(reader.properties).toEqual({ name: 'Conjunto de prueba ñ', category: 'Notable' });
    expect(malformed.count).toBe(0);
    expect(entries.map((e) => hex(e.md5))).toEqual(md5s);
    expect(batches.every((b) => b <= 5000)).toBe(true);
    expect(entries[0]).toMatchObject({ sha1: null, sha256: null, category: null, fileName: null, extra: null });
  });

  it('an empty set is empty', async () => {
    const { entries, reader } = await readAll(files.write('empty.hash', encaseHashFile({ md5s: [], category: 'Known' })), 'encase');
    expect(entries).toEqual([]);
    expect(reader.properties.category).toBe('Known');
  });

  it('stops at the count in the header, ignoring bytes after the last record', async () => {
    const file = Buffer.concat([encaseHashFile({ md5s: md5s.slice(0, 3), count: 2 }), Buffer.alloc(5)]);
    const { entries } = await readAll(files.write('extra.hash', file), 'encase');
    expect(entries.map((e) => hex(e.md5))).toEqual(md5s.slice(0, 2));
  });

  it('refuses a header that counts more hashes than the file holds', async () => {
    const error = await readError(files.write('short.hash', encaseHashFile({ md5s: md5s.slice(0, 3), count: 4 })), 'encase');
    expect(error.code).toBe('corrupt');
    expect(error.message).toBe('damaged EnCase hash file: its header counts 4 hashes but it holds only 3 (truncated?)');
  });

  it('refuses a file cut inside its header, or without the signature', async () => {
    const cut = encaseHashFile({ md5s: md5s.slice(0, 1) }).subarray(0, 0x300);
    expect((await readError(files.write('cut.hash', cut), 'encase')).message).toBe('damaged EnCase hash file: shorter than its 1152-byte header');
    const unsigned = encaseHashFile({ md5s: md5s.slice(0, 1) });
    unsigned[0] = 0x68;
    expect((await readError(files.write('unsigned.hash', unsigned), 'encase')).message).toBe('not an EnCase hash file: no "HASH\\r\\n\\xff\\0" signature');
    expect((await readError(files.write('list.hash', `${md5s[0]}  a\n`), 'encase')).code).toBe('wrong-format');
  });
});
