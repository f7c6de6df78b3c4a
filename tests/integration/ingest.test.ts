// Ingest end to end through the CLI: one item per file and per archive entry, digests equal to
// node:crypto's, images hashed and thumbnailed inside the store, custody one event per job.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemView } from '../../electron/api/contract.js';
import { buildEvidenceTree, type EvidenceTree } from '../fixtures/evidence-tree.js';
import { snapshotTree } from '../fixtures/tree-snapshot.js';
import { ADMIN_PASS, asAliceOn, custos, initStore, type TempStore } from './cli-harness.js';
import { withRawStore } from './store-reader.js';

const digest = (alg: string, b: Buffer) => createHash(alg).update(b).digest('hex');

describe('ingest of a folder with archives', () => {
  let t: TempStore;
  let tree: EvidenceTree;
  let items: ItemView[];
  let before: Map<string, string>;
  let timesBefore: Map<string, [number, number]>;
  const alice = (args: string[]) => asAliceOn(t, args);

  beforeAll(async () => {
    t = initStore();
    const root = join(t.base, 'evidence', 'usb-E1');
    mkdirSync(root, { recursive: true });
    tree = await buildEvidenceTree(root);
    before = snapshotTree(root);
    timesBefore = new Map(tree.files.map((f) => {
      const st = statSync(join(root, f.path));
      return [f.path, [st.mtimeMs, st.atimeMs]];
    }));
    expect(alice(['case', 'create', '--number', 'GT-2026-0100', '--title', 'Intake']).code).toBe(0);
    expect(alice(['exhibit', 'add', '--case', 'GT-2026-0100', '--number', 'E1', '--description', 'USB 16 GB']).code).toBe(0);
    const r = alice(['ingest', '--case', 'GT-2026-0100', '--exhibit', 'E1', root]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ingest 1 done: 11\/11 items/);
    items = JSON.parse(alice(['items', '--case', 'GT-2026-0100', '--json']).stdout) as ItemView[];
  });
  afterAll(() => t.dispose());

  it('makes one item per file and per archive entry, with correct digests', () => {
    const expected = [...tree.files, ...tree.entries].map((f) => ({ path: `usb-E1/${f.path}`, bytes: f.bytes }));
    expect(items.map((i) => i.path).sort()).toEqual(expected.map((e) => e.path).sort());
    for (const e of expected) {
      const item = items.find((i) => i.path === e.path);
      expect(item, e.path).toMatchObject({
        size: e.bytes.length,
        md5: digest('md5', e.bytes),
        sha1: digest('sha1', e.bytes),
        sha256: digest('sha256', e.bytes),
        exhibit: 'E1',
        status: 'unreviewed',
        error: null,
      });
    }
  });

  it('types by content; images get PDQ, blockhash, size and EXIF', () => {
    const byPath = (p: string) => items.find((i) => i.path === `usb-E1/${p}`) as ItemView;
    expect(byPath('Descargas/factura.txt').mime).toBe('image/jpeg');
    expect(byPath('Documentos/nota.txt').mime).toBe('text/plain');
    expect(byPath('respaldo.zip').mime).toBe('application/zip');
    const images = items.filter((i) => i.mime?.startsWith('image/'));
    expect(images).toHaveLength(5);
    for (const img of images) {
      expect(img.pdq).toMatch(/^[0-9a-f]{64}$/);
      expect(img.blockhash).toMatch(/^[0-9a-f]{64}$/);
      expect(img.pdqQuality).toBeGreaterThanOrEqual(50);
      expect(img.width).toBeGreaterThan(0);
    }
    expect(byPath('DCIM/100CAMERA/IMG_0001.JPG')).toMatchObject({
      width: 800,
      height: 600,
      exif: { make: 'Custos Test Optics', model: 'Synthetic One', dateTimeOriginal: '2024-03-15T10:20:30-06:00', gps: { lat: expect.closeTo(14.646, 3), lon: expect.closeTo(-90.5059, 3) } },
    });
    const nonImages = items.filter((i) => !i.mime?.startsWith('image/'));
    expect(nonImages.every((i) => i.pdq === null && i.blockhash === null)).toBe(true);
  });

  it('hash --json agrees with what ingest stored', () => {
    const path = join(tree.root, 'DCIM/100CAMERA/IMG_0001.JPG');
    const [h] = JSON.parse(custos(['hash', path, '--json']).stdout) as ItemView[];
    const stored = items.find((i) => i.path === 'usb-E1/DCIM/100CAMERA/IMG_0001.JPG');
    expect(h).toMatchObject({ md5: stored?.md5, sha256: stored?.sha256, pdq: stored?.pdq, pdqQuality: stored?.pdqQuality, blockhash: stored?.blockhash });
  });

  it('records the extension mismatch and keeps thumbnails inside the encrypted store only', async () => {
    const rows = await withRawStore(t.dir, 'alice', ADMIN_PASS, (db) => ({
      mismatched: db.prepare('SELECT path FROM items WHERE extension_mismatch = 1').all().map((r) => r.path),
      thumbs: db.prepare('SELECT t.webp AS webp, t.width AS w, t.height AS h FROM thumbnails t').all() as { webp: Uint8Array; w: number; h: number }[],
      sources: db.prepare('SELECT path, kind, mtime, files, size FROM sources').all(),
    }));
    expect(rows.mismatched).toEqual(['usb-E1/Descargas/factura.txt']);
    expect(rows.thumbs).toHaveLength(5);
    for (const th of rows.thumbs) {
      expect(Buffer.from(th.webp).subarray(8, 12).toString('latin1')).toBe('WEBP');
      expect(Math.max(th.w, th.h)).toBeLessThanOrEqual(256);
    }
    expect(rows.sources).toEqual([expect.objectContaining({ path: tree.root, kind: 'folder', files: 7 })]);
    expect(readdirSync(t.dir).sort()).toEqual(['custos.db', 'keyring.json']);
  });

  it('never writes to the source and leaves its timestamps alone', () => {
    expect(snapshotTree(tree.root)).toEqual(before);
    for (const f of tree.files) {
      const st = statSync(join(tree.root, f.path));
      expect([st.mtimeMs, st.atimeMs], f.path).toEqual(timesBefore.get(f.path));
    }
  });

  it('logs one ingest.start, one ingest.source and one ingest.finish, and the log verifies', () => {
    const log = JSON.parse(alice(['custody', 'log', '--json']).stdout) as { action: string; details: Record<string, unknown> }[];
    const ingest = log.filter((e) => e.action.startsWith('ingest.'));
    expect(ingest.map((e) => e.action)).toEqual(['ingest.start', 'ingest.source', 'ingest.finish']);
    expect(ingest[0]?.details).toMatchObject({ case: 'GT-2026-0100', exhibit: 'E1', sources: [expect.objectContaining({ path: tree.root, kind: 'folder' })] });
    expect(ingest[1]?.details).toMatchObject({ files: 7, symlinks: 0, specials: 0, errors: 0 });
    expect(ingest[2]?.details).toMatchObject({ items: 11, analysed: 11, errors: 0, atimeNotKept: 0 });
    expect(alice(['custody', 'verify']).code).toBe(0);
  });

  it('ingesting the same source again adds nothing', () => {
    const r = alice(['ingest', '--case', 'GT-2026-0100', '--exhibit', 'E1', tree.root]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(alice(['items', '--case', 'GT-2026-0100', '--json']).stdout)).toHaveLength(11);
  });
});
