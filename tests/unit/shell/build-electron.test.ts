import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
});
