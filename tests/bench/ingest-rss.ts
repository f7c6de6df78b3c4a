// Child process of bench:ingest: one real ingest of DIR through the engine, alone in its
// process so the peak RSS it prints is the ingest's own. Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IngestJobView } from '../../electron/api/contract.js';
import { createEngine } from '../../electron/api/engine.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: ingest-rss.ts DIR');
const store = mkdtempSync(join(tmpdir(), 'custos-bench-store-'));
const engine = createEngine({ storeDir: join(store, 'store') });
const must = async <T>(p: Promise<{ ok: true; value: T } | { ok: false; message: string }>): Promise<T> => {
  const r = await p;
  if (!r.ok) throw new Error(r.message);
  return r.value;
};
try {
  await must(engine.call('store.init', { admin: 'bench', passphrase: 'benchmark passphrase' }));
  await must(engine.call('cases.create', { number: 'B-1', title: 'bench' }));
  await must(engine.call('exhibits.add', { caseNumber: 'B-1', number: 'E1', description: 'bench' }));
  const finished = new Promise<IngestJobView>((resolve) => engine.onEvent((e) => e.event === 'ingest.finished' && resolve(e.payload)));
  const t0 = performance.now();
  await must(engine.call('ingest.start', { caseNumber: 'B-1', exhibitNumber: 'E1', paths: [dir] }));
  const job = await finished;
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ files: job.progress.filesDone, errors: job.progress.errors, seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
} finally {
  await engine.dispose();
  rmSync(store, { recursive: true, force: true });
}
