// The reader thread packs VICS media records natively where it can (native/src/vics_pack.cc) and
// reads the rest in TypeScript. Whatever the mix, the chunk must be byte for byte what the
// TypeScript path alone gives: rows, digests, identities, and the malformed report, in order.
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HashSetFormatError, openHashSet, type HashSetReader, type ObjectSplitter, type RecordPacker } from '../../../electron/matching/importers/index.js';
import { ChunkPacker } from '../../../electron/matching/reader-thread/pack.js';
import { vicsObjectSplitter, vicsRecordPacker } from '../../../electron/matching/reader-thread/record-packer.js';
import { vectorSet } from '../../fixtures/shared-vectors.js';
import { TempFiles } from './importers/reading.js';

const files = new TempFiles();
afterAll(() => files.dispose());
const native = vicsRecordPacker();
const splitter = vicsObjectSplitter();
const hashsets = vectorSet('hashsets');
const h = (n: number, bytes: number) => createHash('sha256').update(`${bytes}:${n}`).digest('hex').slice(0, bytes * 2).padEnd(bytes * 2, '0');

/** Records of the common shape (the packer takes them) and of every shape it declines, valid or not. */
function mixedRecords(): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < 3000; i++) {
    const kind = i % 40;
    const md5 = h(i, 16);
    const common = {
      MediaID: i,
      Category: i % 4,
      MD5: i % 7 === 0 ? md5.toUpperCase() : md5,
      SHA1: i % 3 === 0 ? null : h(i, 20),
      MediaSize: 1000 + i,
      IsPrecategorized: i % 2 === 0,
      VictimIdentified: i % 5 === 0 ? null : i % 2 === 1,
      Series: i % 6 === 0 ? `serie ñ “${i}”` : null,
      AlternativeHashes: i % 4 === 0 ? [] : [{ HashName: 'PDQ', HashValue: h(i, 32) }],
      MediaFiles: [{ MD5: i % 7 === 0 ? md5.toUpperCase() : md5, MediaFileID: i, FileName: `carpeta/año-${i}.jpg`, FilePath: 'x' }],
    };
    if (kind === 0) out.push({ ...common, Series: 'with "quotes" and \\ backslash' });
    else if (kind === 1) out.push({ ...common, IsPrecategorized: 'true', Category: '2' });
    else if (kind === 2) out.push({ ...common, AlternativeHashes: [{ HashName: 'PDQ', HashValue: `${h(i, 32)},87` }, { HashName: 'TMK', HashValue: 'opaque' }] });
    else if (kind === 3) out.push({ ...common, MediaFiles: [{ MD5: h(i + 1, 16), FileName: 'other.jpg', FileSize: 5 }, { MD5: md5 }] });
    else if (kind === 4) out.push({ ...common, MD5: 'not hex at all' });
    else if (kind === 5) out.push({ ...common, Category: -1 });
    else if (kind === 6) out.push({ ...common, Score: 1.5, Note: '  ', Other: { nested: [1, [2, [3]]] } });
    else if (kind === 7) out.push({ MediaID: i, PhotoDNA: `pdna-${i}`, AlternativeHashes: [{ HashName: 'Blockhash', HashValue: h(i, 32) }] });
    else if (kind === 8) out.push({ Category: 1 });
    else if (kind === 9) out.push(`not a record ${i}`);
    else if (kind === 10) out.push({ ...common, 42: 'integer-like key' });
    else if (kind === 11) out.push({ ...common, PDQ: h(i, 32), PDQQuality: 100, SHA256: h(i, 32) });
    else if (kind === 12) out.push({ ...common, PDQQuality: 101, PDQ: h(i, 32) });
    else if (kind === 13) out.push({ ...common, VictimIdentified: 'yes', MediaFiles: 'scalar files' });
    else if (kind === 14) out.push({ ...common, Series: '', PhotoDNA: '', MediaSize: null, SelfGenerated: false, 'odata.type': '#x', 'x@odata': 1 });
    // OData's own fields, left out of the entry, with escapes (as NIST's samples have them): taken natively.
    else if (kind === 15 || kind === 16) out.push({ 'odata.id': `Media("${md5}")`, 'MediaFiles@odata.navigationLinkUrl': `/Media(${md5})/MediaFiles`, ...common });
    else if (kind === 17) out.push({ ...common, MediaFiles: [{ MD5: md5, FilePath: 'C:\\Users\\x "quoted"', FileName: 'n.jpg' }] });
    else if (kind === 18) out.push({ ...common, Comment: 'tab\there' });
    // Flags and numbers as words and digits, as NIST's samples give MediaSize: taken natively.
    else if (kind === 19) out.push({ ...common, IsDistributed: 'YES', VictimIdentified: 'f', MediaID: '0042', MediaSize: '77', Category: '' });
    else if (kind === 20) out.push({ ...common, VictimIdentified: 1, IsSuspected: 0 });
    else if (kind === 21) out.push({ ...common, IsSuspected: 2, SelfGenerated: ' true' });
    else if (kind === 22) out.push({ ...common, Series: `bytes ${NOT_UTF8} here` });
    else out.push(common);
  }
  return out;
}

/** Bytes that are not UTF-8, written where a record holds this marker. */
const NOT_UTF8 = 'NOT-UTF8';

function writeVics(name: string, value: unknown, shape: 'media' | 'cases' = 'media'): string {
  const context = `http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/US/$metadata#${shape === 'media' ? 'Media' : 'Cases'}`;
  // One record per line, as exports are written (some pretty-printed over several), plus a
  // duplicated key the JSON object model cannot show.
  const lines = (value as unknown[]).map((v, i) => {
    const json = JSON.stringify(v, null, i % 53 === 7 ? 2 : undefined);
    return i % 97 === 5 && json.startsWith('{"MediaID"') ? json.replace('{"MediaID":', '{"MediaID":1,"MediaID":') : json;
  });
  const text = `{"@odata.context":"${context}","value":[\n${lines.join(',\n')}\n]}`;
  return files.write(name, Buffer.concat(text.split(NOT_UTF8).flatMap((part, i) => (i === 0 ? [Buffer.from(part)] : [Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(part)]))));
}

type Packed = { rows: string; digests: string; identities: string; categorised: boolean; count: number; malformed: unknown };

/** Reads a whole file, through the TypeScript path or with `packer` (and `split`), into one chunk. */
async function readPacked(reader: HashSetReader, packer: RecordPacker | null, split: ObjectSplitter | null = null): Promise<Packed> {
  const chunk = new ChunkPacker();
  try {
    const batches = packer === null ? reader.entries() : reader.prepackedEntries?.(packer, split);
    if (batches === null || batches === undefined) throw new Error('the reader took no packer');
    for await (const batch of batches) {
      if ('count' in batch) chunk.addPrepacked(batch);
      else chunk.add(batch);
    }
  } finally {
    await reader.close();
  }
  const count = chunk.count;
  const p = chunk.take();
  // Text SQLite can store as it is: the native packer's bytes are checked, not decoded (which would mend them).
  expect(isUtf8(p.rows)).toBe(true);
  return { rows: Buffer.from(p.rows).toString('utf8'), digests: Buffer.from(p.digests).toString('hex'), identities: Buffer.from(p.identities).toString('hex'), categorised: p.categorised, count, malformed: reader.malformed() };
}

const viaEntries = (reader: HashSetReader) => readPacked(reader, null);
const viaPrepacked = (reader: HashSetReader, packer: RecordPacker, split: ObjectSplitter | null = null) => readPacked(reader, packer, split);

/** The native packer, counting what it took. */
function counting(packer: RecordPacker): { packer: RecordPacker; taken: () => number } {
  let taken = 0;
  return {
    packer: (text, ends, start, starts) => {
      const r = packer(text, ends, start, starts);
      taken += r.packed?.count ?? 0;
      return r;
    },
    taken: () => taken,
  };
}

describe.skipIf(native === null)('VICS media packed natively (custos-native)', () => {
  const splitters = [['decoded text', null] as const, ...(splitter !== null ? [['bytes, records split natively', splitter] as const] : [])];
  it.each((['media', 'cases'] as const).flatMap((shape) => splitters.map(([how, split]) => [shape, how, split] as const)))(
    'gives what the TypeScript path gives, record for record, in a #%s file of mixed records, read as %s',
    async (shape, _how, split) => {
    // Over 1 MiB: the file is read in several chunks, records cut across them.
    const records = [...mixedRecords(), ...mixedRecords()];
    const value = shape === 'media' ? records : [...Array.from({ length: 60 }, (_, c) => ({ CaseID: c, Media: records.slice(c * 100, c * 100 + 100) })), 'not a case'];
    const path = writeVics(`mixed-${shape}.json`, value, shape);
    expect(statSync(path).size).toBeGreaterThan(2 * (1 << 20));
    const expected = await viaEntries(await openHashSet(path, 'vics'));
    const { packer, taken } = counting(native as RecordPacker);
    let splitOut = 0;
    const countingSplit: ObjectSplitter | null =
      split === null
        ? null
        : (bytes, from, most) => {
            const r = split(bytes, from, most);
            splitOut += r.count;
            return r;
          };
    const actual = await viaPrepacked(await openHashSet(path, 'vics'), packer, countingSplit);
    // Found in the bytes, all but the records that are not objects or not UTF-8.
    if (split !== null) expect(splitOut).toBeGreaterThan(records.length * 0.9);
    expect(actual.count).toBe(expected.count);
    expect(actual.rows).toBe(expected.rows);
    expect(actual.digests).toBe(expected.digests);
    expect(actual.identities).toBe(expected.identities);
    expect(actual.categorised).toBe(expected.categorised);
    expect(actual.malformed).toEqual(expected.malformed);
    expect((expected.malformed as { count: number }).count).toBeGreaterThan(100);
    // Most records are of the common shape: the native packer took them, not the fallback.
    expect(taken()).toBeGreaterThan(expected.count * 0.6);
    expect(taken()).toBeLessThan(expected.count);
    },
  );

  it('hands a record larger than its buffer to the TypeScript path, and fails a file of bad records as entries() does', async () => {
    const big = { MediaID: 1, MD5: h(1, 16), Series: 'x'.repeat(600_000) };
    const path = writeVics('big.json', [big, { MediaID: 2, MD5: h(2, 16) }]);
    const expected = await viaEntries(await openHashSet(path, 'vics'));
    expect(await viaPrepacked(await openHashSet(path, 'vics'), native as RecordPacker)).toEqual(expected);
    expect(await viaPrepacked(await openHashSet(path, 'vics'), native as RecordPacker, splitter)).toEqual(expected);
    expect(expected.count).toBe(2);

    const bad = writeVics('bad.json', [{ MD5: 'zz' }, { Category: 1 }]);
    const viaJs = await viaEntries(await openHashSet(bad, 'vics')).catch((e: unknown) => e);
    for (const split of [null, splitter]) {
      const viaNative = await viaPrepacked(await openHashSet(bad, 'vics'), native as RecordPacker, split).catch((e: unknown) => e);
      expect(viaNative).toBeInstanceOf(HashSetFormatError);
      expect((viaNative as Error).message).toBe((viaJs as Error).message);
    }
    // A file that breaks off between records: the same error, the same line, either way.
    const cut = files.write('cut.json', readFileSync(writeVics('whole.json', mixedRecords().slice(0, 500))).subarray(0, 150_000));
    const cutJs = await viaEntries(await openHashSet(cut, 'vics')).catch((e: unknown) => e);
    expect((cutJs as Error).message).toMatch(/breaks off at line \d+/);
    for (const split of [null, splitter]) expect(((await viaPrepacked(await openHashSet(cut, 'vics'), native as RecordPacker, split).catch((e: unknown) => e)) as Error).message).toBe((cutJs as Error).message);
  });

  it('leaves files in other encodings to the TypeScript path', async () => {
    const path = files.write('utf16.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`{"@odata.context":"http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/US/$metadata#Media","value":[{"MD5":"${h(3, 16)}"}]}`, 'utf16le')]));
    const reader = await openHashSet(path, 'vics');
    expect(reader.prepackedEntries?.(native as RecordPacker)).toBeNull();
    await reader.close();
  });

  it('declines, never crashes on, records that are not JSON of its shape, and refuses bad bounds', () => {
    const packer = native as RecordPacker;
    const records = [
      '['.repeat(100_000),
      `{"MD5":"${h(1, 16)}","X":${'['.repeat(50)}${']'.repeat(50)}}`,
      '{"MD5":"unterminated',
      `{"MD5":"${h(1, 16)}","N":123456789012345678901234567890}`,
      '{"MD5":',
      '',
      '\u0000\u0001',
      `{"MD5":"${h(2, 16)}"} trailing`,
      `{"MD5":"${h(3, 16)}","Category":7}`,
    ];
    const text = Buffer.from(records.join(''));
    const ends = new Uint32Array(records.length);
    records.reduce((at, r, i) => (ends[i] = at + Buffer.byteLength(r)), 0);
    for (let start = 0; start < records.length - 1; start++) expect(packer(text, ends, start)).toEqual({ next: start, packed: null });
    const last = packer(text, ends, records.length - 1);
    expect([last.next, last.packed?.count]).toEqual([records.length, 1]);
    expect(() => packer(text, Uint32Array.from([5, 3]), 0)).toThrow(RangeError);
    expect(() => packer(text, Uint32Array.from([text.length + 1]), 0)).toThrow(RangeError);
    expect(() => packer(text, ends, records.length + 1)).toThrow(RangeError);
  });

  // NIST's CAID VICS 1.2 samples: real files from another tool, read both ways.
  it.skipIf(!hashsets.present)('gives what the TypeScript path gives on the shared VICS samples, most records packed natively', async () => {
    const dir = join(hashsets.dir, 'vics_json');
    const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
    expect(names.length).toBeGreaterThan(0);
    const { packer, taken } = counting(native as RecordPacker);
    let entries = 0;
    for (const name of names) {
      const path = join(dir, name);
      const expected = await viaEntries(await openHashSet(path, 'vics'));
      expect(await viaPrepacked(await openHashSet(path, 'vics'), packer), name).toEqual(expected);
      expect(await viaPrepacked(await openHashSet(path, 'vics'), native as RecordPacker, splitter), name).toEqual(expected);
      entries += expected.count;
    }
    expect(taken()).toBeGreaterThan(entries * 0.9);
  });
});
