// The runtime layering of docs/ARCHITECTURE.md is enforced by ESLint; these cases prove the
// rules bite (a rule that never fires would pass review silently).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function ruleIds(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const restricted = ['no-restricted-imports', '@typescript-eslint/no-restricted-imports'];
const isRestricted = (ids: string[]) => ids.some((id) => restricted.includes(id));

describe('import layering', () => {
  it.each([
    ['the engine importing electron', 'electron/store/x.ts', `import { app } from 'electron';\nexport const a = app;\n`],
    ['the API importing electron', 'electron/api/x.ts', `import { ipcMain } from 'electron';\nexport const a = ipcMain;\n`],
    ['the engine importing the shell', 'electron/api/x.ts', `import { createMainWindow } from '../main/window.js';\nexport const a = createMainWindow;\n`],
    ['SQL outside electron/store', 'electron/custody/x.ts', `import Database from 'better-sqlite3-multiple-ciphers';\nexport const a = Database;\n`],
    ['the engine importing the renderer', 'electron/api/x.ts', `import { App } from '../../renderer/app/App.js';\nexport const a = App;\n`],
    ['the renderer importing engine internals', 'renderer/app/x.ts', `import { createStore } from '../../electron/store/store.js';\nexport const a = createStore;\n`],
    ['the renderer importing a value from the API', 'renderer/app/x.ts', `import { methods } from '../../electron/api/contract';\nexport const a = methods;\n`],
    ['the renderer importing Node', 'renderer/app/x.ts', `import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n`],
    ['the renderer importing electron', 'renderer/app/x.ts', `import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n`],
    ['anything importing tests', 'electron/cli/x.ts', `import { custos } from '../../tests/integration/cli-harness.js';\nexport const a = custos;\n`],
  ])('refuses %s', async (_name, file, code) => {
    expect(isRestricted(await ruleIds(file, code))).toBe(true);
  });

  it.each([
    ['the shell importing electron', 'electron/main/x.ts', `import { app } from 'electron';\nexport const a = app;\n`],
    ['the renderer importing API types', 'renderer/app/x.ts', `import type { CaseView } from '../../electron/api/contract';\nexport type A = CaseView;\n`],
    ['the store importing its driver', 'electron/store/x.ts', `import Database from 'better-sqlite3-multiple-ciphers';\nexport const a = Database;\n`],
  ])('allows %s', async (_name, file, code) => {
    expect(isRestricted(await ruleIds(file, code))).toBe(false);
  });
});
