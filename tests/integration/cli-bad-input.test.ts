// Bad input gets one human line on stderr, a non-zero exit, and changes nothing on disk.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from '@signalapp/sqlcipher';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASS, asAliceOn, custos, initStore, type TempStore } from './cli-harness.js';
import { masterKeyFromKeyring } from './independent-key.js';
import { snapshot } from './store-files.js';

describe('bad input to the store', () => {
  let t: TempStore;
  beforeEach(() => {
    t = initStore();
  });
  afterEach(() => t.dispose());

  function expectRefused(args: readonly string[], env: Record<string, string>, message: RegExp): void {
    const before = snapshot(t.dir);
    const r = custos(['--store', t.dir, ...args], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
    expect(r.stderr).toMatch(message);
    expect(snapshot(t.dir)).toEqual(before);
  }

  it('wrong passphrase', () => {
    expectRefused(['--user', 'alice', 'case', 'list'], { CUSTOS_PASSPHRASE: 'not the passphrase' }, /wrong passphrase for 'alice'/);
  });

  it('unknown user', () => {
    expectRefused(['--user', 'zoe', 'case', 'list'], { CUSTOS_PASSPHRASE: ADMIN_PASS }, /no key slot for 'zoe'/);
  });

  it('missing keyring', () => {
    renameSync(join(t.dir, 'keyring.json'), join(t.base, 'keyring.moved'));
    expectRefused(['--user', 'alice', 'case', 'list'], { CUSTOS_PASSPHRASE: ADMIN_PASS }, /keyring\.json is missing/);
  });

  it.each([
    ['not JSON', '{"format": "custos-keyring", '],
    ['wrong format', '{"format": "other", "version": 1, "slots": []}'],
    ['short salt', null],
  ])('corrupt keyring: %s', (_name, text) => {
    const path = join(t.dir, 'keyring.json');
    const ring = JSON.parse(readFileSync(path, 'utf8'));
    ring.slots[0].kdf.salt = 'AAAA';
    writeFileSync(path, text ?? JSON.stringify(ring));
    expectRefused(['--user', 'alice', 'case', 'list'], { CUSTOS_PASSPHRASE: ADMIN_PASS }, /keyring/);
  });

  it.each([
    ['the first page', 100],
    ['a later page', 3 * 4096 + 2000],
    ['the last byte', -1],
  ])('a flipped byte in custos.db (%s)', (_where, offset) => {
    const path = join(t.dir, 'custos.db');
    const bytes = readFileSync(path);
    const at = offset < 0 ? bytes.length + offset : offset;
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    writeFileSync(path, bytes);
    expectRefused(['--user', 'alice', 'case', 'list'], { CUSTOS_PASSPHRASE: ADMIN_PASS }, /custos\.db is damaged or was altered/);
  });

  it('a directory that is not a store', () => {
    const r = custos(['--store', join(t.base, 'nowhere'), '--user', 'alice', 'case', 'list'], { CUSTOS_PASSPHRASE: ADMIN_PASS });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no Custos store at .*nowhere \(create one with: custos init\)\n$/);
  });

  it('a store written by a newer version is refused', async () => {
    const key = await masterKeyFromKeyring(t.dir, 'alice', ADMIN_PASS);
    const db = new Database(join(t.dir, 'custos.db'));
    db.pragma(`key = "x'${key.toString('hex')}'"`);
    db.pragma('user_version = 990');
    db.close();
    expectRefused(['--user', 'alice', 'case', 'list'], { CUSTOS_PASSPHRASE: ADMIN_PASS }, /written by a newer Custos \(schema 990/);
  });

  it('passphrase files that cannot be read are usage errors', () => {
    const r = asAliceOn(t, ['case', 'list'], { CUSTOS_PASSPHRASE: '' });
    expect(r.code).toBe(2);
    const missing = custos(['--store', t.dir, '--user', 'alice', '--passphrase-file', join(t.base, 'absent'), 'case', 'list']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: cannot read passphrase file .*absent: ENOENT\n$/);
  });
});
