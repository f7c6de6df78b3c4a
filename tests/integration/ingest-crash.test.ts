// A crash at any moment leaves a store that opens, a custody log that verifies, and work that
// resumes: the ingest is SIGKILLed at random points, then run again until it completes, and
// every file is in the store exactly once.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ItemView } from '../../electron/api/contract.js';
import { seeded, syntheticImage } from '../fixtures/synthetic-images.js';
import { yazlZip } from '../fixtures/zips.js';
import { ADMIN_PASS, ROOT, asAliceOn, initStore, type TempStore } from './cli-harness.js';

const KILLS = 6;
const IMAGES = 400;

/**
 * Runs the ingest and SIGKILLs it `afterMs` after its first progress line (so the kill lands
 * inside the ingest: walking, analysing or committing, not in start-up).
 */
function ingestUntilKilled(t: TempStore, root: string, afterMs: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'electron/cli/main.ts'), '--store', t.dir, '--user', 'alice', 'ingest', '--case', 'K-1', '--exhibit', 'E1', '--threads', '1', root],
      { cwd: ROOT, env: { ...process.env, CUSTOS_PASSPHRASE: ADMIN_PASS }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    child.stderr.once('data', () => {
      timer = setTimeout(() => {
        killed = child.kill('SIGKILL');
      }, afterMs);
    });
    child.stderr.resume();
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ killed: killed && code === null, code });
    });
  });
}

describe('ingest survives SIGKILL at random points', () => {
  let t: TempStore;
  let root: string;
  let expectedPaths: string[];

  beforeAll(async () => {
    t = initStore();
    root = join(t.base, 'seized');
    const paths: string[] = [];
    for (let i = 0; i < 8; i += 1) mkdirSync(join(root, `dir${i}`), { recursive: true });
    // Enough work that six kills, each up to 400 ms into a run, all land before the ingest ends
    // (with 160 images, once the pool held many files at once, a run could end before the sixth).
    for (let i = 0; i < IMAGES; i += 1) {
      const p = `dir${i % 8}/img${i}.jpg`;
      writeFileSync(join(root, p), await syntheticImage(1000 + i, { width: 800, height: 600 }));
      paths.push(p);
    }
    for (let i = 0; i < 120; i += 1) {
      const p = `dir${i % 8}/note${i}.txt`;
      writeFileSync(join(root, p), `note ${i}\n`.repeat(200 + i));
      paths.push(p);
    }
    const zipEntries = Array.from({ length: 30 }, (_, i) => ({ name: `z/${i}.txt`, data: Buffer.from(`entry ${i}\n`.repeat(50)) }));
    writeFileSync(join(root, 'bundle.zip'), await yazlZip(zipEntries));
    paths.push('bundle.zip', ...zipEntries.map((e) => `bundle.zip!/${e.name}`));
    expectedPaths = paths.map((p) => `seized/${p}`).sort();
    expect(asAliceOn(t, ['case', 'create', '--number', 'K-1', '--title', 'Crash']).code).toBe(0);
    expect(asAliceOn(t, ['exhibit', 'add', '--case', 'K-1', '--number', 'E1', '--description', 'disk']).code).toBe(0);
  }, 120_000);
  afterAll(() => t.dispose());

  it(`is killed ${KILLS} times, resumes, and ends with every file exactly once`, async () => {
    const rnd = seeded(Number(process.env.CUSTOS_CRASH_SEED ?? Date.now() % 100_000));
    let kills = 0;
    for (let attempt = 0; attempt < KILLS * 3 && kills < KILLS; attempt += 1) {
      const r = await ingestUntilKilled(t, root, Math.floor(rnd() * 400));
      expect(r.code === null || r.code === 0, `exit ${r.code}`).toBe(true);
      if (!r.killed) break;
      kills += 1;
      // After every crash the store opens and the log verifies.
      const verify = asAliceOn(t, ['custody', 'verify']);
      expect(verify.code, verify.stderr).toBe(0);
    }
    // The job must still have had work left after every kill, or the test proved less than it says.
    expect(kills).toBe(KILLS);
    const final = asAliceOn(t, ['ingest', '--case', 'K-1', '--exhibit', 'E1', '--threads', '1', root]);
    expect(final.code, final.stderr).toBe(0);

    const items = JSON.parse(asAliceOn(t, ['items', '--case', 'K-1', '--json']).stdout) as ItemView[];
    expect(items.map((i) => i.path).sort()).toEqual(expectedPaths);
    expect(items.filter((i) => i.md5 === null)).toEqual([]);
    expect(items.filter((i) => i.error !== null)).toEqual([]);
    expect(items.filter((i) => i.mime === 'image/jpeg').every((i) => /^[0-9a-f]{64}$/.test(i.pdq ?? ''))).toBe(true);

    const log = JSON.parse(asAliceOn(t, ['custody', 'log', '--json']).stdout) as { action: string }[];
    const count = (a: string) => log.filter((e) => e.action === a).length;
    expect(count('ingest.start')).toBe(1);
    expect(count('ingest.resume')).toBe(KILLS);
    expect(count('ingest.finish')).toBe(1);
    expect(asAliceOn(t, ['custody', 'verify']).code).toBe(0);
  }, 300_000);
});
