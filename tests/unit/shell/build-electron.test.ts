import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const script = join(root, 'scripts', 'build-electron.mjs');
type BuildScript = { leaveOutDevServer: Plugin };

let out: string;

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'custos-build-'));
  const run = spawnSync(process.execPath, [script, 'main', 'preload', `--out=${out}`], { encoding: 'utf8' });
  expect(run.stderr).not.toMatch(/error/i);
  expect(run.status).toBe(0);
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

function importedModules(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/\bfrom\s*["']([^"']+)["']|\brequire\(\s*["']([^"']+)["']\s*\)|\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
    found.add(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return [...found].sort();
}

describe('build-electron.mjs', () => {
  it('bundles the sandboxed preload as CommonJS that needs nothing but electron', () => {
    const code = readFileSync(join(out, 'main', 'preload.cjs'), 'utf8');
    expect(importedModules(code)).toEqual(['electron']);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).toContain('exposeInMainWorld("custos"');
  });

  it('bundles main as ESM that reaches only electron and Node built-ins', () => {
    const code = readFileSync(join(out, 'main', 'index.js'), 'utf8');
    const modules = importedModules(code);
    expect(modules).toContain('electron');
    expect(modules.filter((m) => m !== 'electron' && !m.startsWith('node:'))).toEqual([]);
    expect(code).toMatch(/^import /m);
  });

  it('leaves the browser-mode server out of the CLI bundle', async () => {
    const { leaveOutDevServer } = (await import(script)) as BuildScript;
    const result = await build({
      stdin: {
        contents: "export const serve = () => import('./serve.js'); export const other = () => import('../api/contract.js');",
        resolveDir: join(root, 'electron', 'cli'),
        loader: 'ts',
        sourcefile: 'main.ts',
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      external: ['zod'],
      plugins: [leaveOutDevServer],
    });
    const code = result.outputFiles[0]?.text ?? '';
    expect(code).toContain('import("./serve.js")');
    expect(code).toContain('electron/api/contract.ts');
  });

  // Inside the checkout, so the bundle finds the native modules it leaves external in node_modules.
  it('bundles the hash-set reader and KDF threads next to the CLI, which unlocks and imports through them', { timeout: 120_000 }, () => {
    mkdirSync(join(root, 'dist'), { recursive: true });
    const dir = mkdtempSync(join(root, 'dist', 'bundle-test-'));
    try {
      const built = spawnSync(process.execPath, [script, 'cli', 'cli-hashset-reader', 'cli-kdf', `--out=${dir}`], { encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      const cli = join(dir, 'cli', 'main.js');
      // hash-wasm is bundled into the KDF thread: nothing of it is left to resolve.
      expect(importedModules(readFileSync(join(dir, 'cli', 'kdf-worker.js'), 'utf8')).filter((m) => !m.startsWith('node:'))).toEqual([]);
      writeFileSync(join(dir, 'pass'), 'correct horse battery staple\n');
      writeFileSync(join(dir, 'list.md5'), 'd41d8cd98f00b204e9800998ecf8427e\n0cc175b9c0f1b6a831c399e269772661\n');
      const store = ['--store', join(dir, 'store'), '--passphrase-file', join(dir, 'pass')];
      const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args, ...store], { encoding: 'utf8', env: { ...process.env, CUSTOS_NO_NATIVE: '' } });
      expect(run(['init', '--admin', 'alice']).status).toBe(0);
      const imported = run(['hashset', 'import', join(dir, 'list.md5'), '--name', 'unit', '--user', 'alice']);
      expect(imported.status, imported.stderr).toBe(0);
      expect(imported.stdout).toMatch(/imported 'unit': 2 entries/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
