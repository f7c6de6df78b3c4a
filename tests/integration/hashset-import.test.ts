// Hash-set import through the CLI: malformed lines reported with their numbers, a file that is
// not the format named refused with the store unchanged, a newer version replacing the set in
// one step, and an import killed half-way leaving nothing behind.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustodyEventView, HashSetView } from '../../electron/api/contract.js';
import { ADMIN_PASS, ROOT, asAliceOn, initStore, type TempStore } from './cli-harness.js';
import Database from '@signalapp/sqlcipher';
import { masterKeyFromKeyring } from './independent-key.js';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('hashset import', () => {
  let t: TempStore;
  const alice = (args: string[]) => asAliceOn(t, args);
  const sets = () => JSON.parse(alice(['hashset', 'list', '--json']).stdout) as HashSetView[];
  // Every CLI run adds its own session.unlock and session.lock: the rest is what changed.
  const events = () => (JSON.parse(alice(['custody', 'log', '--json']).stdout) as CustodyEventView[]).filter((e) => !e.action.startsWith('session.'));
  const count = (db: Database, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  let key: Buffer | null = null;
  // Read with stock SQLCipher (the key derived once: Argon2id takes a while).
  const rows = async () => {
    key ??= await masterKeyFromKeyring(t.dir, 'alice', ADMIN_PASS);
    const db = new Database(join(t.dir, 'custos.db'));
    try {
      db.pragma(`key = "x'${key.toString('hex')}'"`);
      return { sets: count(db, 'hashsets'), entries: count(db, 'hashset_entries') };
    } finally {
      db.close();
    }
  };

  beforeAll(() => {
    t = initStore();
  });
  afterAll(() => t.dispose());

  it('reports malformed lines with their numbers and keeps the rest', () => {
    const list = t.file('list.md5', [md5('a'), 'not a hash', `${md5('b')}  b.jpg`, '', '# comment', `${md5('c').slice(0, 30)}`, md5('a')].join('\n'));
    const r = alice(['hashset', 'import', list, '--name', 'unit list', '--format', 'md5']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/imported 'unit list': 2 entries \(3 read\), 2 malformed/);
    expect(r.stdout).toMatch(/malformed line 2:/);
    expect(r.stdout).toMatch(/malformed line 6:/);
    expect(sets().find((s) => s.name === 'unit list')).toMatchObject({ entries: 2, malformed: 2, format: 'md5', kind: 'alert' });
    const ev = events().filter((e) => e.action === 'hashset.import').at(-1);
    expect(ev?.details).toMatchObject({ name: 'unit list', entries: 2, malformed: 2, sourceFile: 'list.md5' });
    const fileSha256 = createHash('sha256').update(readFileSync(list)).digest('hex');
    expect((ev?.details as { sourceSha256: string }).sourceSha256).toBe(fileSha256);
    expect(sets().find((s) => s.name === 'unit list')?.sourceSha256).toBe(fileSha256);
  });

  it('refuses a file that is not the format named, with one line, and changes nothing', async () => {
    const before = { sets: sets(), events: events().length, rows: await rows() };
    const notVics = t.file('notes.json', '{"hello": "world"}');
    const r = alice(['hashset', 'import', notVics, '--name', 'bogus', '--format', 'vics']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*VICS/i);
    const garbage = t.file('garbage.txt', 'lorem ipsum\ndolor sit amet\n');
    const g = alice(['hashset', 'import', garbage, '--name', 'bogus', '--format', 'sha1']);
    expect(g.code).not.toBe(0);
    expect(g.stderr.trim().split('\n')).toHaveLength(1);
    expect({ sets: sets(), events: events().length, rows: await rows() }).toEqual(before);
  });

  it('replaces the set of the same name in one step when a newer version is imported', async () => {
    const v1 = t.file('v1.md5', `${[md5('1'), md5('2'), md5('3')].join('\n')}\n`);
    const v2 = t.file('v2.md5', `${[md5('1'), md5('2'), md5('3'), md5('4')].join('\n')}\n`);
    expect(alice(['hashset', 'import', v1, '--name', 'releases']).code).toBe(0);
    expect(sets().find((s) => s.name === 'releases')?.entries).toBe(3);
    const r = alice(['hashset', 'import', v2, '--name', 'releases']);
    expect(r.code, r.stderr).toBe(0);
    const named = sets().filter((s) => s.name === 'releases');
    expect(named).toHaveLength(1);
    expect(named[0]?.entries).toBe(4);
    const ev = events().filter((e) => e.action === 'hashset.import').at(-1);
    expect(ev?.details).toMatchObject({ name: 'releases', entries: 4, replaces: { entries: 3 } });
    // The replaced set's entries go once nothing points at them.
    const counts = await rows();
    expect(counts.entries).toBe(2 + 4 + 3);
  });

  it('leaves nothing of an import killed half-way, and the next import cleans up', async () => {
    const big = join(t.base, 'big.json');
    const out = createWriteStream(big);
    out.write('{"@odata.context":"http://github.com/ICMEC/ProjectVic/DataModels/2.0.xml/US/$metadata#Media","value":[');
    for (let i = 0; i < 1_000_000; i++) {
      if (!out.write(`${i ? ',' : ''}{"MediaID":${i},"Category":1,"MD5":"${md5(`big ${i}`)}"}`)) await once(out, 'drain');
    }
    out.end(']}');
    await once(out, 'finish');
    const before = (await rows()).sets;
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'electron/cli/main.ts'), '--store', t.dir, '--user', 'alice', 'hashset', 'import', big, '--name', 'big'], {
      cwd: ROOT,
      env: { ...process.env, CUSTOS_PASSPHRASE: ADMIN_PASS },
      stdio: 'ignore',
    });
    // Killed once the set is being written (its row exists), not during start-up.
    const exited = once(child, 'exit');
    for (let i = 0; i < 600 && child.exitCode === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const now = await rows().catch(() => ({ sets: before, entries: 0 }));
      if (now.entries > 0 && now.sets > before) break;
    }
    expect(child.exitCode, 'the import finished before it could be killed').toBeNull();
    child.kill('SIGKILL');
    await exited;
    expect(sets().map((s) => s.name)).not.toContain('big');
    expect(alice(['custody', 'verify']).code).toBe(0);
    const small = t.file('small.md5', `${md5('x')}\n`);
    expect(alice(['hashset', 'import', small, '--name', 'after crash']).code).toBe(0);
    const counts = await rows();
    expect(counts.sets).toBe(before + 1);
    // The half-written set and the entries of the replaced version are gone.
    expect(counts.entries).toBe(sets().reduce((n, s) => n + s.entries, 0));
  });
});
