// chmod 000 binds only users without CAP_DAC_OVERRIDE, and test runs are often root. So the walk
// runs in a child process as an ordinary user: as `nobody` when the tests run as root, else as
// the current user. Reading a root-owned file as nobody also exercises the O_NOATIME fallback
// (the kernel allows O_NOATIME only to the file's owner or CAP_FOWNER).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotTree } from '../../fixtures/tree-snapshot.js';

const intake = resolve('electron/intake');
const script = `
const { walkFolder } = await import(${JSON.stringify(`${intake}/walker.ts`)});
const { openLocator, readLocator } = await import(${JSON.stringify(`${intake}/read.ts`)});
const entries = [];
const reads = {};
for await (const entry of walkFolder(process.argv[1])) {
  entries.push(entry);
  if (entry.kind !== 'file') continue;
  try {
    const { stream, atimePreserved } = await openLocator(entry.locator);
    stream.destroy();
    reads[entry.relPath] = { text: (await readLocator(entry.locator, 1024)).toString(), atimePreserved };
  } catch (error) {
    reads[entry.relPath] = { code: error.code, message: error.message };
  }
}
process.stdout.write(JSON.stringify({ uid: process.getuid(), entries, reads }));
`;

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'custos-perms-'));
  chmodSync(base, 0o755);
  root = join(base, 'source');
  mkdirSync(join(root, 'locked-dir'), { recursive: true, mode: 0o755 });
  writeFileSync(join(root, 'locked-dir', 'hidden.txt'), 'hidden');
  writeFileSync(join(root, 'locked.txt'), 'locked');
  writeFileSync(join(root, 'open.txt'), 'open to all', { mode: 0o644 });
  chmodSync(join(root, 'locked.txt'), 0);
  chmodSync(join(root, 'locked-dir'), 0);
});

afterAll(() => {
  chmodSync(join(root, 'locked-dir'), 0o755);
  rmSync(base, { recursive: true, force: true });
});

describe('walking as an ordinary user', () => {
  it('reports an unreadable directory once, records a chmod 000 file, and refuses to read it', () => {
    const asRoot = process.getuid?.() === 0;
    const before = snapshotTree(root);
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, root], {
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
      timeout: 20_000,
    });
    const { uid, entries, reads } = JSON.parse(output) as {
      uid: number;
      entries: { kind: string; relPath: string; mode?: number; error?: string }[];
      reads: Record<string, unknown>;
    };
    expect(uid).not.toBe(0);
    expect(entries.map((e) => `${e.kind} ${e.relPath}`)).toEqual(['error locked-dir', 'file locked.txt', 'file open.txt']);
    expect(entries[0]?.error).toBe('directory cannot be listed: permission denied');
    expect((entries[1]?.mode ?? -1) & 0o777).toBe(0);
    expect(reads['locked.txt']).toEqual({ code: 'permission-denied', message: 'permission denied' });
    // Nobody may not use O_NOATIME on root's file: the read falls back, says so, and may move
    // the atime of that file only. Its owner keeps the atime.
    expect(reads['open.txt']).toEqual({ text: 'open to all', atimePreserved: !asRoot });
    const after = snapshotTree(root);
    const withoutAtime = (snapshot: Map<string, string>) => [...snapshot].map(([k, v]) => [k, v.replace(/ atime=\d+/, '')]);
    if (asRoot) expect(withoutAtime(after)).toEqual(withoutAtime(before));
    else expect(after).toEqual(before);
  });
});
