// A million-entry VICS 2.0 file imported into a store (reader, batched inserts, custody) in a
// process of its own: the peak RSS stays under 300 MB whatever the file size, and the speed is
// printed (the benchmark, bench:match, holds the figures).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lastLineOfChild } from '../fixtures/child-process.js';
import { writeVics2MediaFile } from '../fixtures/hashset-files.js';

const base = mkdtempSync(join(tmpdir(), 'custos-import-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('importing a large hash set', () => {
  it('imports 1 000 000 VICS entries into a store with peak RSS under 300 MB', { timeout: 900_000 }, async () => {
    const file = join(base, 'million.json');
    await writeVics2MediaFile(file, { count: 1_000_000 });
    const child = join(import.meta.dirname, 'import-in-child.ts');
    const report = JSON.parse(await lastLineOfChild(child, [join(base, 'store'), file])) as { state: string; error: string | null; entries: number; perSecond: number; maxRssMiB: number };
    console.log(`[bench] VICS import into the store: ${report.entries} entries, ${report.perSecond} entries/s, peak RSS ${report.maxRssMiB} MiB`);
    expect(report).toMatchObject({ state: 'done', error: null, entries: 1_000_000 });
    expect(report.maxRssMiB).toBeLessThan(300);
  });
});
