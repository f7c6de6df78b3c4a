// Runs the real `custos` CLI in a child process against temporary stores.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const ADMIN_PASS = 'correct horse battery staple';

export type CliResult = { readonly code: number; readonly stdout: string; readonly stderr: string };

export function custos(args: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): CliResult {
  // The caller's CUSTOS_* variables never leak into a test: each run states its own.
  const inherited = Object.entries(process.env).filter(([k]) => !k.startsWith('CUSTOS_'));
  const merged = Object.fromEntries([...inherited, ...Object.entries(env)].filter((e): e is [string, string] => e[1] !== undefined));
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/cli/main.ts'), ...args], {
    cwd: ROOT,
    env: merged,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export type TempStore = { readonly base: string; readonly dir: string; file(name: string, text: string): string; dispose(): void };

export function tempStore(): TempStore {
  const base = mkdtempSync(join(tmpdir(), 'custos-test-'));
  return {
    base,
    dir: join(base, 'store'),
    file(name, text) {
      const path = join(base, name);
      writeFileSync(path, text);
      return path;
    },
    dispose: () => rmSync(base, { recursive: true, force: true }),
  };
}

/** A store with admin alice, created through the CLI. */
export function initStore(): TempStore {
  const t = tempStore();
  const r = custos(['init', '--store', t.dir, '--admin', 'alice'], { CUSTOS_PASSPHRASE: ADMIN_PASS });
  if (r.code !== 0) throw new Error(`init failed: ${r.stderr}`);
  return t;
}

/** The CLI as `alice` on that store. */
export function asAliceOn(t: TempStore, args: readonly string[], env: Readonly<Record<string, string>> = {}): CliResult {
  return custos(['--store', t.dir, '--user', 'alice', ...args], { CUSTOS_PASSPHRASE: ADMIN_PASS, ...env });
}
