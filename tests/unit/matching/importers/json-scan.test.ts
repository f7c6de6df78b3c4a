import { describe, expect, it } from 'vitest';
import { JsonScanner, JsonSyntaxError, type JsonPath, type JsonRoute } from '../../../../electron/matching/importers/json-scan.js';
import { vicsObjectSplitter } from '../../../../electron/matching/reader-thread/record-packer.js';

type Seen = { readonly path: string; readonly value: unknown; readonly line: number };

/** Scans `pieces` with the elements of every top-level `items` array collected, everything else walked. */
function scan(pieces: readonly string[], route?: (path: JsonPath) => JsonRoute): Seen[] {
  const seen: Seen[] = [];
  const scanner = new JsonScanner({
    route: route ?? ((path) => (path.length === 2 && path[0] === 'items' ? 'collect' : 'walk')),
    value: (path, json, line) => seen.push({ path: path.join('/'), value: JSON.parse(json), line }),
  });
  for (const piece of pieces) scanner.feed(piece);
  scanner.end();
  return seen;
}

const DOC = `{
  "meta": "a \\"quoted\\" \\\\ string",
  "items": [
    {"MD5": "x\\\\", "n": [1, {"deep": "}]"}]},
    {"MD5": "ñandú 😀", "t": true},
    "plain",
    -1.5e3,
    null
  ],
  "tail": {"k": [false, 0]}
}`;

describe('JsonScanner', () => {
  const whole = scan([DOC]);

  it('collects values whole, walks the rest, and numbers lines', () => {
    expect(whole).toEqual([
      { path: 'meta', value: 'a "quoted" \\ string', line: 2 },
      { path: 'items/0', value: { MD5: 'x\\', n: [1, { deep: '}]' }] }, line: 4 },
      { path: 'items/1', value: { MD5: 'ñandú 😀', t: true }, line: 5 },
      { path: 'items/2', value: 'plain', line: 6 },
      { path: 'items/3', value: -1500, line: 7 },
      { path: 'items/4', value: null, line: 8 },
      { path: 'tail/k/0', value: false, line: 10 },
      { path: 'tail/k/1', value: 0, line: 10 },
    ]);
  });

  it('gives the same result whatever the chunk boundaries', () => {
    for (let cut = 1; cut < DOC.length; cut++) expect(scan([DOC.slice(0, cut), DOC.slice(cut)])).toEqual(whole);
    expect(scan([...DOC])).toEqual(whole);
  });

  it('hands over nested lists and broken elements as text, for the caller to parse', () => {
    const nested = `{"items": [\n${Array.from({ length: 40 }, (_, i) => `{"id": ${i}, "files": [{"a": 1},\n{"b": "},"}, {"c": [1, 2]}]}`).join(',\n')}\n]}`;
    const expected = scan([nested]);
    expect(expected).toHaveLength(40);
    expect(expected[39]).toEqual({ path: 'items/39', value: { id: 39, files: [{ a: 1 }, { b: '},' }, { c: [1, 2] }] }, line: 80 });
    for (let cut = 1; cut < nested.length; cut += 7) expect(scan([nested.slice(0, cut), nested.slice(cut)])).toEqual(expected);
    const reached: string[] = [];
    const scanner = new JsonScanner({ route: (p) => (p.length === 2 ? 'collect' : 'walk'), value: (_p, json) => reached.push(json) });
    scanner.feed('{"items": [{"a": 1},\n{"b": tru},\n{"c": 3}]}');
    scanner.end();
    expect(reached).toEqual(['{"a": 1}', '{"b": tru}', '{"c": 3}']);
  });

  it('stops where the handler says', () => {
    const seen = scan([DOC], (path) => (path[0] === 'items' ? 'stop' : 'walk'));
    expect(seen.map((s) => s.path)).toEqual(['meta']);
  });

  it.each([
    ['{"a":1,,"b":2}', /expects a property name/],
    ['{"a" 1}', /expects ':'/],
    ['{"a":1} x', /has more after its end/],
    ['{"a":tru}', /unexpected "tru"/],
    ['{"a":[1 2]}', /expects ',' or ']'/],
    ['{"a":"unterminated', /ends part-way/],
    ['{"items":[{"a":1}', /ends part-way/],
    ['   ', /is empty/],
  ])('refuses %s', (text, message) => {
    expect(() => scan([text])).toThrow(JsonSyntaxError);
    expect(() => scan([text])).toThrow(message);
  });

  it('gives the line of a syntax error', () => {
    try {
      scan(['{\n"a": 1,\n"b" 2}']);
      expect.unreachable();
    } catch (error) {
      expect((error as JsonSyntaxError).line).toBe(3);
    }
  });

  it('refuses a value that runs past 4 MiB instead of holding it, and takes one just under', () => {
    const chunk = 'x'.repeat(1 << 20);
    const big = ['{"items": [{"a": "', ...Array.from({ length: 5 }, () => chunk), '"}]}'];
    expect(() => scan(big)).toThrow(/holds a value longer than 4 MiB/);
    const fits = ['{"items": [{"a": "', ...Array.from({ length: 3 }, () => chunk), '"}]}'];
    expect(scan(fits)).toHaveLength(1);
  });
});

const splitter = vicsObjectSplitter();

/**
 * Scans `pieces` of bytes as a UTF-8 file (values decoded from the Latin-1 text the scanner gives),
 * with the elements of `items` taken by the native splitter where it can, at most `most` at a time.
 */
function scanBytes(pieces: readonly Buffer[], most = 3): { seen: Seen[]; split: number } {
  const seen: Seen[] = [];
  let split = 0;
  const scanner = new JsonScanner({
    route: (path) => (path.length === 2 && path[0] === 'items' ? 'collect' : 'walk'),
    value: (path, json, line) => seen.push({ path: path.join('/'), value: JSON.parse(Buffer.from(json, 'latin1').toString('utf8')), line }),
    collectFrom: (path, bytes, at, line) => {
      const taken = splitter?.(bytes, at, most);
      if (taken === undefined) return null;
      for (let i = 0; i < taken.count; i++) {
        const json = bytes.toString('utf8', taken.starts[i], taken.ends[i]);
        seen.push({ path: `items/${(path[1] as number) + i}`, value: JSON.parse(json), line: line + (taken.lineOffsets[i] ?? 0) });
      }
      split += taken.count;
      return taken;
    },
  });
  for (const piece of pieces) scanner.feedBytes(piece);
  scanner.end();
  return { seen, split };
}

describe.skipIf(splitter === null)('JsonScanner fed bytes, elements split natively (custos-native)', () => {
  // Objects over several lines, escapes, brackets in strings, non-ASCII, a non-object among them,
  // and one object that is not UTF-8 (the scanner reads that one itself, with a replacement character).
  const doc = Buffer.concat([
    Buffer.from(`{\n "meta": "ñ \\"x\\"",\n "items": [\n`),
    Buffer.from(
      Array.from({ length: 30 }, (_, i) =>
        i % 7 === 3 ? `"plain ${i}"` : i % 5 === 0 ? `{\n  "id": ${i},\n  "s": "}],{[\\\\",\n  "n": [1, {"d": "ñandú 😀"}]\n}` : `{"id": ${i}, "q": "a \\"b\\" c"}`,
      ).join(' ,\n'),
    ),
    Buffer.from(',\n{"id": "bad '),
    Buffer.from([0xff, 0xfe]),
    Buffer.from('"}\n],\n "tail": [1, {"k": "ü"}]\n}\n'),
  ]);

  it('finds the same elements, with the same paths and lines, as the scanner reading text', () => {
    const expected = scan([doc.toString('utf8')]);
    const { seen, split } = scanBytes([doc]);
    expect(seen).toEqual(expected);
    expect(split).toBeGreaterThan(20);
    expect(expected.find((s) => s.path === 'items/30')?.value).toEqual({ id: 'bad \ufffd\ufffd' });
  });

  it('gives the same whatever the chunk boundaries and however many it takes at a time', () => {
    const expected = scan([doc.toString('utf8')]);
    for (let cut = 1; cut < doc.length; cut += 3) expect(scanBytes([doc.subarray(0, cut), doc.subarray(cut)], 1 + (cut % 5)).seen).toEqual(expected);
    const pieces: Buffer[] = [];
    for (let at = 0, size = 1; at < doc.length; at += size, size = (size * 7) % 13 || 1) pieces.push(doc.subarray(at, at + size));
    expect(scanBytes(pieces).seen).toEqual(expected);
  });

  it('reports a syntax error between elements on the line the text scanner gives', () => {
    const broken = Buffer.from('{"items": [\n{"a": 1},\n{"b": 2}\n{"c": 3}]}');
    const line = (() => {
      try {
        scan([broken.toString('utf8')]);
      } catch (error) {
        return (error as JsonSyntaxError).line;
      }
      return null;
    })();
    expect(line).toBe(4);
    expect(() => scanBytes([broken])).toThrow(expect.objectContaining({ line: 4 }));
  });
});
