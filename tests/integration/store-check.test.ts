// The check at open reads every page of a store up to FULL_CHECK_MAX_PAGES; above it, the hash
// sets' bulk tables are left to be authenticated as they are read, and `store check` reads all.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HashSetImportRun } from '../../electron/matching/hashset-import.js';
import { checkStore, openDatabase } from '../../electron/store/database.js';
import { closeStore, createStore } from '../../electron/store/store.js';
import { writeVics2MediaFile } from '../fixtures/hashset-files.js';
import { ADMIN_PASS, custos } from './cli-harness.js';

const base = mkdtempSync(join(tmpdir(), 'custos-check-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const dir = join(base, 'store');
const dbPath = join(dir, 'custos.db');
let key: Buffer;
let pristine: Buffer;
let pagesOf: (table: string) => number[];

beforeAll(async () => {
  const store = await createStore(dir, 'alice', ADMIN_PASS, () => undefined);
  key = Buffer.from(store.masterKey);
  const file = join(base, 'set.json');
  await writeVics2MediaFile(file, { count: 3000, seed: 4 });
  const run = await HashSetImportRun.start(store.db, 1, { path: file, name: 'set', format: 'vics', actor: 'alice' }, () => undefined);
  expect((await run.finished).state).toBe('done');
  const pages = new Map<string, number[]>();
  for (const r of store.db.prepare('SELECT name, pageno FROM dbstat').all() as { name: string; pageno: number }[]) pages.set(r.name, [...(pages.get(r.name) ?? []), r.pageno]);
  pagesOf = (table) => pages.get(table) ?? [];
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  closeStore(store);
  pristine = readFileSync(dbPath);
});

function flipIn(table: string): void {
  const page = pagesOf(table).at(-1) ?? 0;
  expect(page).toBeGreaterThan(1);
  const bytes = Buffer.from(pristine);
  const at = (page - 1) * 4096 + 1500;
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  writeFileSync(dbPath, bytes);
}

const open = (maxPages: number) => openDatabase(dbPath, key, { create: false, fullCheckMaxPages: maxPages });

describe('checking a store at open', () => {
  it('reads every page of a store within the limit', () => {
    flipIn('hashset_entries');
    expect(() => open(1_000_000).close()).toThrow(/custos\.db is damaged or was altered/);
  });

  it('above the limit, still refuses a flipped byte outside the hash sets', () => {
    flipIn('custody_events');
    expect(() => open(8).close()).toThrow(/custos\.db is damaged or was altered/);
  });

  it('above the limit, opens with a flipped byte in the hash sets, which the full check and any read of that page catch', () => {
    flipIn('hashset_entries');
    const db = open(8);
    try {
      expect(checkStore(db, false, 8)).toMatchObject({ ok: true, skipped: ['hashset_entries', 'hashset_keys'] });
      const full = checkStore(db, true);
      expect(full.ok).toBe(false);
      expect(() => db.prepare('SELECT count(*), sum(length(extra)) FROM hashset_entries').get()).toThrow();
    } finally {
      db.close();
    }
  });

  it('custos store check reads everything and says so', () => {
    writeFileSync(dbPath, pristine);
    const ok = custos(['--store', dir, '--user', 'alice', 'store', 'check'], { CUSTOS_PASSPHRASE: ADMIN_PASS });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^store is whole: all \d+ pages read and authenticated\n$/);
  });
});
