// A million-entry VICS 2.0 file imported into a store by the `custos` CLI as the app ships it, in
// a process of its own: its peak RSS (unlock, reader thread, batched inserts, custody) stays
// under 300 MB, and the speed is printed (bench:match holds the figures; tests/bench/RESULTS.md
// the peak at 3 and 10 M entries, where memory stops growing).
// The bundles, not the sources: through tsx, each thread also compiles its modules as it loads
// them (about 25 MB more in the reader thread alone), which is the test's cost, not the product's.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeVics2MediaFile } from '../fixtures/hashset-files.js';
import { ShippedCli } from '../fixtures/shipped-cli.js';

const base = mkdtempSync(join(tmpdir(), 'custos-import-'));
let cli: ShippedCli | null = null;
afterAll(() => {
  cli?.dispose();
  rmSync(base, { recursive: true, force: true });
});

describe('importing a large hash set', () => {
  it('imports 1 000 000 VICS entries into a store with peak RSS under 300 MB', { timeout: 900_000 }, async () => {
    const file = join(base, 'million.json');
    await writeVics2MediaFile(file, { count: 1_000_000 });
    cli = ShippedCli.build('streaming-test-cli');
    const store = join(base, 'store');
    cli.runSync(store, ['init', '--admin', 'alice']);
    const run = await cli.measured(store, ['hashset', 'import', file, '--name', 'million', '--json']);
    const set = JSON.parse(run.stdout) as { name: string; entries: number; malformed: number };
    console.log(`[bench] VICS import into the store (shipped CLI): ${set.entries} entries in ${(run.ms / 1000).toFixed(2)} s with unlock, peak RSS ${run.peakRssMiB} MiB`);
    expect(set).toMatchObject({ name: 'million', entries: 1_000_000, malformed: 0 });
    expect(run.peakRssMiB).toBeLessThan(300);
  });
});
