// Hash matching end to end through the CLI, on a generated evidence tree: files byte-identical
// to entries of a VICS 2.0 set become `known` by MD5 with the set's category; re-encoded,
// resized, bordered, mirrored and rotated copies of images whose PDQ is in a PDQ list become
// `known` by PDQ; files listed in an NSRL RDSv3 database become `ignorable`; nothing else matches.
// Everything here is synthetic: scenes drawn from SVG, text files, made-up hash sets.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HashSetView, ItemExplanation, ItemView, TriageView } from '../../electron/api/contract.js';
import { syntheticImage } from '../fixtures/synthetic-images.js';
import { asAliceOn, initStore, type TempStore } from './cli-harness.js';

const hex = (alg: string, b: Buffer) => createHash(alg).update(b).digest('hex');

type Planted = { readonly path: string; readonly bytes: Buffer };

const CASE = 'SV-2026-0042';

async function pdqOf(t: TempStore, path: string): Promise<{ pdq: string; quality: number }> {
  const r = asAliceOn(t, ['hash', path, '--json']);
  const [h] = JSON.parse(r.stdout) as { pdq: string; pdqQuality: number }[];
  if (!h) throw new Error(r.stderr);
  return { pdq: h.pdq, quality: h.pdqQuality };
}

describe('matching an ingest against VICS, PDQ and NSRL sets', () => {
  let t: TempStore;
  let items: ItemView[];
  const identical: Planted[] = [];
  const variants: Planted[] = [];
  const nsrlFiles: Planted[] = [];
  const unrelated: Planted[] = [];
  const sourceFiles: [name: string, path: string][] = [];
  const alice = (args: string[]) => asAliceOn(t, args);
  const item = (p: Planted) => items.find((i) => i.path.endsWith(`/${p.path}`)) as ItemView;

  beforeAll(async () => {
    t = initStore();
    const root = join(t.base, 'evidence', 'phone-E1');
    const originals = join(t.base, 'originals');
    for (const dir of [root, join(root, 'DCIM'), join(root, 'Download'), join(root, 'system'), originals]) mkdirSync(dir, { recursive: true });
    const put = (list: Planted[], path: string, bytes: Buffer) => {
      writeFileSync(join(root, path), bytes);
      list.push({ path, bytes });
    };

    // Byte-identical to VICS entries: 6 images.
    for (let i = 0; i < 6; i++) put(identical, `DCIM/IMG_${1000 + i}.jpg`, await syntheticImage(100 + i, { width: 800, height: 600, noise: true }));

    // Variants of 8 originals whose PDQ goes into a PDQ list; the originals are not in the tree.
    const pdqLines: string[] = [];
    for (let i = 0; i < 8; i++) {
      const original = await syntheticImage(200 + i, { width: 1024, height: 768, format: 'png' });
      const path = join(originals, `o${i}.png`);
      writeFileSync(path, original);
      const { pdq, quality } = await pdqOf(t, path);
      pdqLines.push(`${pdq},${quality}`);
      const img = () => sharp(original);
      put(variants, `Download/q60_${i}.jpg`, await img().jpeg({ quality: 60 }).toBuffer());
      put(variants, `Download/half_${i}.jpg`, await img().resize(512, 384).jpeg({ quality: 85 }).toBuffer());
      put(variants, `Download/border_${i}.png`, await img().extend({ top: 2, bottom: 2, left: 2, right: 2, background: '#000' }).png().toBuffer());
      put(variants, `Download/mirror_${i}.png`, await img().flop().png().toBuffer());
      put(variants, `Download/rot90_${i}.png`, await img().rotate(90).png().toBuffer());
    }

    // Known-good system files listed in an NSRL RDSv3 database.
    for (let i = 0; i < 5; i++) put(nsrlFiles, `system/lib${i}.so`, Buffer.from(`ELF synthetic library ${i} `.repeat(50 + i)));

    // Unrelated: other scenes and files.
    for (let i = 0; i < 6; i++) put(unrelated, `DCIM/IMG_${2000 + i}.jpg`, await syntheticImage(300 + i, { width: 800, height: 600, noise: true }));
    put(unrelated, 'Download/notes.txt', Buffer.from('shopping list: beans, rice, tortillas\n'));

    // The VICS 2.0 #Media set: the identical images, categories 1 and 2, plus entries for files
    // that are not in the tree.
    const media = identical.map((p, i) => ({
      MediaID: i + 1,
      Category: i < 4 ? 1 : 2,
      MD5: hex('md5', p.bytes).toUpperCase(),
      SHA1: hex('sha1', p.bytes),
      MediaSize: p.bytes.length,
      VictimIdentified: 'false',
      Series: i < 2 ? 'synthetic-series-A' : null,
    }));
    for (let i = 0; i < 50; i++) media.push({ MediaID: 100 + i, Category: 1, MD5: hex('md5', Buffer.from(`absent ${i}`)), SHA1: hex('sha1', Buffer.from(`absent ${i}`)), MediaSize: 10, VictimIdentified: 'false', Series: null });
    const vics = join(t.base, 'unit-set.json');
    writeFileSync(vics, `\uFEFF${JSON.stringify({ '@odata.context': 'http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/US/$metadata#Media', value: media })}`);

    const pdqList = join(t.base, 'pdq-list.txt');
    writeFileSync(pdqList, `${pdqLines.join('\n')}\n`);

    // NSRL RDSv3: the schema's FILE table, uppercase hex as NIST ships it.
    const rds = join(t.base, 'RDS_test_modern_minimal.db');
    const db = new Database(rds);
    db.exec(`CREATE TABLE FILE (sha256 VARCHAR NOT NULL, sha1 VARCHAR NOT NULL, md5 VARCHAR NOT NULL, crc32 VARCHAR NOT NULL,
      file_name VARCHAR NOT NULL, file_size INTEGER NOT NULL, package_id INTEGER NOT NULL);
      CREATE TABLE VERSION (version VARCHAR UNIQUE NOT NULL, build_set VARCHAR NOT NULL, build_date TIMESTAMP NOT NULL, release_date TIMESTAMP NOT NULL, description VARCHAR NOT NULL);
      INSERT INTO VERSION VALUES ('2026.03.1', 'modern', '2026-03-01', '2026-03-01', 'test');`);
    const insert = db.prepare('INSERT INTO FILE VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const f of nsrlFiles) {
      for (const pkg of [1, 2]) insert.run(hex('sha256', f.bytes).toUpperCase(), hex('sha1', f.bytes).toUpperCase(), hex('md5', f.bytes).toUpperCase(), '00000000', f.path, f.bytes.length, pkg);
    }
    for (let i = 0; i < 100; i++) {
      const b = Buffer.from(`other ${i}`);
      insert.run(hex('sha256', b).toUpperCase(), hex('sha1', b).toUpperCase(), hex('md5', b).toUpperCase(), '00000000', `other${i}.dll`, b.length, 3);
    }
    db.close();

    sourceFiles.push(['unit VICS', vics], ['unit PDQ', pdqList], ['NSRL test', rds]);
    for (const [name, file] of sourceFiles) {
      const r = alice(['hashset', 'import', file, '--name', name]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect(alice(['case', 'create', '--number', CASE, '--title', 'Matching']).code).toBe(0);
    expect(alice(['exhibit', 'add', '--case', CASE, '--number', 'E1', '--description', 'Phone']).code).toBe(0);
    const r = alice(['ingest', '--case', CASE, '--exhibit', 'E1', root]);
    expect(r.code, r.stderr).toBe(0);
    items = JSON.parse(alice(['items', '--case', CASE, '--json']).stdout) as ItemView[];
  });
  afterAll(() => t.dispose());

  it('lists the three sets with their formats, kinds and distinct entry counts', () => {
    const sets = JSON.parse(alice(['hashset', 'list', '--json']).stdout) as HashSetView[];
    const byName = new Map(sets.map((s) => [s.name, s]));
    expect(byName.get('unit VICS')).toMatchObject({ format: 'vics', kind: 'alert', entries: 56, malformed: 0, scheme: 'vics-us' });
    // Each file's SHA-256, whichever thread computed it (the reader thread for VICS read natively, and RDSv3).
    for (const [name, file] of sourceFiles) expect(byName.get(name)?.sourceSha256, name).toBe(hex('sha256', readFileSync(file)));
    expect(byName.get('unit PDQ')).toMatchObject({ format: 'pdq', kind: 'alert', entries: 8 });
    // Each NSRL file is listed under two packages: one entry per distinct hash.
    expect(byName.get('NSRL test')).toMatchObject({ format: 'nsrl', kind: 'ignorable', entries: 105 });
  });

  it('makes every byte-identical file known by MD5, with the set category', () => {
    identical.forEach((p, i) => {
      const it = item(p);
      expect(it.status, p.path).toBe('known');
      expect(it.category).toBe(i < 4 ? '1' : '2');
      expect(it.matches).toContainEqual({ hashset: 'unit VICS', method: 'md5', distance: 0, category: i < 4 ? '1' : '2' });
    });
  });

  it('makes at least 95 % of the re-encoded, resized, bordered, mirrored and rotated copies known by PDQ', () => {
    const known = variants.filter((p) => item(p).status === 'known' && item(p).matches.some((m) => m.method === 'pdq' && m.distance <= 31));
    expect(known.length / variants.length, variants.filter((p) => !known.includes(p)).map((p) => p.path).join(', ')).toBeGreaterThanOrEqual(0.95);
    const mirrored = variants.find((p) => p.path.startsWith('Download/mirror_')) as Planted;
    const explained = JSON.parse(alice(['explain', String(item(mirrored).id), '--json']).stdout) as ItemExplanation;
    // The reference's names: a left-right mirror (sharp's flop) is its flipY.
    expect(explained.matches[0]).toMatchObject({ hashset: 'unit PDQ', method: 'pdq', orientation: 'flipY' });
  });

  it('makes NSRL files ignorable and matches nothing unrelated', () => {
    for (const p of nsrlFiles) {
      expect(item(p).status, p.path).toBe('ignorable');
      expect(item(p).matches.map((m) => m.method).sort()).toEqual(['md5', 'sha1', 'sha256']);
    }
    for (const p of unrelated) {
      expect(item(p).status, p.path).toBe('unreviewed');
      expect(item(p).matches).toEqual([]);
    }
  });

  it('reports the triage numbers and records the import, the ingest and a rematch in custody', () => {
    const triage = JSON.parse(alice(['report', '--case', CASE, '--json']).stdout) as TriageView;
    expect(triage.ignorable).toBe(nsrlFiles.length);
    expect(triage.known).toBeGreaterThanOrEqual(identical.length + Math.ceil(variants.length * 0.95));
    const r = alice(['case', 'rematch', '--case', CASE, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ items: items.length, changed: 0, ignorable: nsrlFiles.length });
    const log = alice(['custody', 'log', '--json']);
    const actions = (JSON.parse(log.stdout) as { action: string }[]).map((e) => e.action);
    expect(actions.filter((a) => a === 'hashset.import')).toHaveLength(3);
    expect(actions).toContain('case.rematch');
    expect(alice(['custody', 'verify']).code).toBe(0);
  });

  it('removing a set matches its items again without it', () => {
    const r = alice(['hashset', 'remove', 'NSRL test']);
    expect(r.code, r.stderr).toBe(0);
    const after = JSON.parse(alice(['items', '--case', CASE, '--json']).stdout) as ItemView[];
    for (const p of nsrlFiles) {
      const it = after.find((i) => i.path.endsWith(`/${p.path}`)) as ItemView;
      expect([it.status, it.matches]).toEqual(['unreviewed', []]);
    }
    expect(alice(['custody', 'verify']).code).toBe(0);
  });
});
