// Blockhash matching, which a case turns on: a CSV set whose header names a blockhash column
// (what the unit's own lists carry), an ingest that matches nothing by blockhash while the case
// has it off, then re-encoded and resized copies known by blockhash once a supervisor sets a
// threshold and the case is matched again, and back to unreviewed when it is turned off.
// Everything is synthetic: scenes drawn from SVG.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, CustodyEventView, HashSetView, ItemExplanation, ItemView } from '../../electron/api/contract.js';
import { syntheticImage } from '../fixtures/synthetic-images.js';
import { asAliceOn, initStore, type TempStore } from './cli-harness.js';

const CASE = 'GT-2026-0117';
const THRESHOLD = 12;

function distance(a: string, b: string): number {
  let bits = 0;
  for (let i = 0; i < a.length; i += 8) {
    let x = Number.parseInt(a.slice(i, i + 8), 16) ^ Number.parseInt(b.slice(i, i + 8), 16);
    for (; x !== 0; x &= x - 1) bits++;
  }
  return bits;
}

describe('blockhash matching, turned on per case', () => {
  let t: TempStore;
  const alice = (args: string[]) => asAliceOn(t, args);
  const copies: string[] = [];
  const unrelated: string[] = [];
  const listed: string[] = [];
  const items = () => JSON.parse(alice(['items', '--case', CASE, '--json']).stdout) as ItemView[];
  const byPath = (all: ItemView[], path: string) => all.find((i) => i.path.endsWith(`/${path}`)) as ItemView;
  const blockhashOf = (path: string) => (JSON.parse(alice(['hash', path, '--json']).stdout) as { blockhash: string }[])[0]?.blockhash ?? '';

  beforeAll(async () => {
    t = initStore();
    const root = join(t.base, 'evidence');
    const originals = join(t.base, 'originals');
    mkdirSync(join(root, 'Pictures'), { recursive: true });
    mkdirSync(originals, { recursive: true });
    for (let i = 0; i < 4; i++) {
      const original = await syntheticImage(400 + i, { width: 960, height: 720, format: 'png' });
      const path = join(originals, `o${i}.png`);
      writeFileSync(path, original);
      listed.push(blockhashOf(path));
      writeFileSync(join(root, 'Pictures', `q70_${i}.jpg`), await sharp(original).jpeg({ quality: 70 }).toBuffer());
      writeFileSync(join(root, 'Pictures', `small_${i}.jpg`), await sharp(original).resize(480, 360).jpeg({ quality: 85 }).toBuffer());
      copies.push(`Pictures/q70_${i}.jpg`, `Pictures/small_${i}.jpg`);
    }
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(root, 'Pictures', `other_${i}.jpg`), await syntheticImage(500 + i, { width: 960, height: 720 }));
      unrelated.push(`Pictures/other_${i}.jpg`);
    }
    const csv = join(t.base, 'unit-blockhash.csv');
    writeFileSync(csv, `blockhash,category,file_name\n${listed.map((b, i) => `${b},1,original-${i}.png`).join('\n')}\n`);
    const imported = alice(['hashset', 'import', csv, '--name', 'unit blockhash', '--format', 'csv']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(alice(['case', 'create', '--number', CASE, '--title', 'Blockhash']).code).toBe(0);
    expect(alice(['exhibit', 'add', '--case', CASE, '--number', 'E1', '--description', 'Laptop']).code).toBe(0);
    const ingest = alice(['ingest', '--case', CASE, '--exhibit', 'E1', root]);
    expect(ingest.code, ingest.stderr).toBe(0);
  }, 180_000);
  afterAll(() => t.dispose());

  it('imports the blockhash column as entries of an alert set', () => {
    const sets = JSON.parse(alice(['hashset', 'list', '--json']).stdout) as HashSetView[];
    expect(sets.find((s) => s.name === 'unit blockhash')).toMatchObject({ format: 'csv', kind: 'alert', entries: 4, malformed: 0 });
  });

  it('matches nothing by blockhash while the case has it off (the default)', () => {
    const c = (JSON.parse(alice(['case', 'list', '--json']).stdout) as CaseView[]).find((x) => x.number === CASE);
    expect(c?.blockhashThreshold).toBeNull();
    const all = items();
    expect(all).toHaveLength(copies.length + unrelated.length);
    for (const i of all) expect([i.path, i.status, i.matches]).toEqual([i.path, 'unreviewed', []]);
  });

  it('once turned on and matched again, makes the copies known by blockhash and nothing else', () => {
    // The copies' blockhashes are near their originals' and the other scenes' are not: what the threshold tells apart.
    const all = items();
    for (const p of copies) expect(Math.min(...listed.map((b) => distance(byPath(all, p).blockhash ?? '', b))), p).toBeLessThanOrEqual(THRESHOLD);
    for (const p of unrelated) expect(Math.min(...listed.map((b) => distance(byPath(all, p).blockhash ?? '', b))), p).toBeGreaterThan(THRESHOLD * 3);

    const set = alice(['case', 'set', '--case', CASE, '--blockhash-threshold', String(THRESHOLD), '--json']);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ number: CASE, blockhashThreshold: THRESHOLD, pdqThreshold: 31 });
    const rematch = alice(['case', 'rematch', '--case', CASE, '--json']);
    expect(rematch.code, rematch.stderr).toBe(0);
    expect(JSON.parse(rematch.stdout)).toMatchObject({ known: copies.length, changed: copies.length });

    const after = items();
    for (const p of copies) {
      const item = byPath(after, p);
      expect([p, item.status, item.category]).toEqual([p, 'known', '1']);
      const bh = item.matches.filter((m) => m.method === 'blockhash');
      expect(bh).toHaveLength(1);
      expect(bh[0]).toMatchObject({ hashset: 'unit blockhash', category: '1' });
      expect(bh[0]?.distance).toBeLessThanOrEqual(THRESHOLD);
    }
    for (const p of unrelated) expect(byPath(after, p).matches.filter((m) => m.method === 'blockhash')).toEqual([]);

    const explained = JSON.parse(alice(['explain', String(byPath(after, copies[1] ?? '').id), '--json']).stdout) as ItemExplanation;
    expect(explained.matches.find((m) => m.method === 'blockhash')).toMatchObject({ hashset: 'unit blockhash', method: 'blockhash', orientation: null, entryHash: listed[0] });
  });

  it('turned off again, leaves the copies unreviewed, and every change is in custody', () => {
    expect(alice(['case', 'set', '--case', CASE, '--blockhash-threshold', 'off']).code).toBe(0);
    expect(alice(['case', 'rematch', '--case', CASE]).code).toBe(0);
    for (const p of copies) expect(byPath(items(), p).matches.filter((m) => m.method === 'blockhash')).toEqual([]);
    const updates = (JSON.parse(alice(['custody', 'log', '--json']).stdout) as CustodyEventView[]).filter((e) => e.action === 'case.update');
    expect(updates.map((e) => e.details)).toEqual([{ blockhashThreshold: { from: null, to: THRESHOLD } }, { blockhashThreshold: { from: THRESHOLD, to: null } }]);
    expect(alice(['case', 'set', '--case', CASE, '--blockhash-threshold', 'near']).code).toBe(2);
    expect(alice(['custody', 'verify']).code).toBe(0);
  });
});
