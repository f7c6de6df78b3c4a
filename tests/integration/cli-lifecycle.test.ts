// The CLI contract end to end: users and roles, cases, exhibits, custody, JSON output.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASS, asAliceOn, custos, initStore, type TempStore } from './cli-harness.js';

const BOB_PASS = 'bob-passphrase-1';

describe('custos CLI', () => {
  let t: TempStore;
  const asAlice = (args: string[], env: Record<string, string> = {}) => asAliceOn(t, args, env);
  const asBob = (args: string[], pass = BOB_PASS, env: Record<string, string> = {}) =>
    custos(['--store', t.dir, '--user', 'bob', ...args], { CUSTOS_PASSPHRASE: pass, ...env });

  beforeAll(() => {
    t = initStore();
  });
  afterAll(() => t.dispose());

  it('init refuses to touch an existing store', () => {
    const r = custos(['init', '--store', t.dir, '--admin', 'mallory'], { CUSTOS_PASSPHRASE: ADMIN_PASS });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*already holds a Custos store.*\n$/);
  });

  it('an admin adds a user whose passphrase comes from a file, and lists users as JSON', () => {
    const file = t.file('bob.pass', `${BOB_PASS}\n`);
    const add = asAlice(['user', 'add', 'bob', '--role', 'investigator', '--new-passphrase-file', file, '--json']);
    expect(add.code, add.stderr).toBe(0);
    expect(JSON.parse(add.stdout)).toMatchObject({ name: 'bob', role: 'investigator', disabled: false, createdBy: 'alice' });
    const list = asAlice(['user', 'list', '--json']);
    expect(JSON.parse(list.stdout).map((u: { name: string }) => u.name)).toEqual(['alice', 'bob']);
  });

  it('global options may stand after the command', () => {
    const r = custos(['user', 'list', '--store', t.dir, '--user', 'alice', '--json'], { CUSTOS_PASSPHRASE: ADMIN_PASS });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(2);
  });

  it('roles are enforced: an investigator cannot add users', () => {
    const r = asBob(['user', 'add', 'eve', '--role', 'admin'], BOB_PASS, { CUSTOS_NEW_PASSPHRASE: 'eve-would-be-admin' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: 'users.add' needs the role admin/);
  });

  it('cases and exhibits are created and listed', () => {
    const c = asBob(['case', 'create', '--number', 'HN-2026-007', '--title', 'Niñez protegida', '--scheme', 'caid-uk', '--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ number: 'HN-2026-007', title: 'Niñez protegida', scheme: 'caid-uk', createdBy: 'bob' });
    const e = asBob([
      'exhibit', 'add', '--case', 'HN-2026-007', '--number', 'E-01', '--description', 'Teléfono Samsung, pantalla rota',
      '--seized-by', 'Agente Pérez', '--seized-at', '2026-11-20T09:30:00-06:00', '--seized-from', 'Domicilio, Tegucigalpa', '--seal', 'S-99812', '--json',
    ]);
    expect(e.code, e.stderr).toBe(0);
    const list = JSON.parse(asBob(['exhibit', 'list', '--case', 'HN-2026-007', '--json']).stdout);
    expect(list).toEqual([expect.objectContaining({ number: 'E-01', seal: 'S-99812', seizedAt: '2026-11-20T09:30:00-06:00', caseNumber: 'HN-2026-007' })]);
    const cases = JSON.parse(asBob(['case', 'list', '--json']).stdout);
    expect(cases).toEqual([expect.objectContaining({ number: 'HN-2026-007', exhibits: 1 })]);
    expect(asBob(['case', 'create', '--number', 'HN-2026-007', '--title', 'again']).code).toBe(1);
    expect(asBob(['exhibit', 'list', '--case', 'NOPE']).stderr).toBe("error: no case 'NOPE'\n");
  });

  it('a user changes their own passphrase: the old one stops working, the new one works', () => {
    const next = t.file('bob.next', 'bob-second-passphrase\n');
    const r = asBob(['user', 'passwd', '--new-passphrase-file', next]);
    expect(r.code, r.stderr).toBe(0);
    expect(asBob(['case', 'list'], BOB_PASS).stderr).toBe("error: wrong passphrase for 'bob'\n");
    expect(asBob(['case', 'list'], 'bob-second-passphrase').code).toBe(0);
  });

  it('an admin resets a forgotten passphrase by re-wrapping', () => {
    const r = asAlice(['user', 'passwd', 'bob'], { CUSTOS_NEW_PASSPHRASE: 'bob-reset-by-admin' });
    expect(r.code, r.stderr).toBe(0);
    expect(asBob(['case', 'list'], 'bob-reset-by-admin').code).toBe(0);
  });

  it('a disabled user cannot unlock', () => {
    expect(asAlice(['user', 'disable', 'bob']).code).toBe(0);
    const r = asBob(['case', 'list'], 'bob-reset-by-admin');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no key slot for 'bob': not a user of this store, or disabled\n$/);
    expect(asAlice(['user', 'disable', 'alice']).stderr).toBe('error: you cannot disable your own account\n');
  });

  it('every state change is in the custody log, which verifies', () => {
    const log = JSON.parse(asAlice(['custody', 'log', '--json']).stdout) as { seq: number; action: string; actor: string }[];
    const actions = log.map((e) => e.action);
    for (const a of ['store.create', 'user.add', 'case.create', 'exhibit.add', 'user.passphrase-change', 'user.passphrase-reset', 'user.disable', 'session.unlock', 'session.lock']) {
      expect(actions).toContain(a);
    }
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    const since = JSON.parse(asAlice(['custody', 'log', '--since', '5', '--json']).stdout) as { seq: number }[];
    expect(since[0]?.seq).toBe(6);
    const verify = asAlice(['custody', 'verify', '--json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, firstBadSeq: null });
  });

  it('usage errors exit 2 with one line', () => {
    for (const args of [['frobnicate'], ['case', 'create', '--number', 'X'], ['case', 'list', '--bogus'], ['user', 'add']]) {
      const r = asAlice(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: /);
    }
    expect(custos(['case', 'list', '--store', t.dir, '--user', 'alice']).stderr).toMatch(/^error: no passphrase: set CUSTOS_PASSPHRASE/);
  });
});
