import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/api/engine.js';
import type { EngineEvent } from '../../../electron/api/contract.js';

describe('engine dispatch', () => {
  let base: string;
  let engine: Engine;
  const events: EngineEvent[] = [];
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'custos-engine-'));
    engine = createEngine({ storeDir: join(base, 'store') });
    engine.onEvent((e) => events.push(e));
  });
  afterEach(() => {
    engine.dispose();
    rmSync(base, { recursive: true, force: true });
  });

  it('reports an uninitialised store and refuses session methods while locked', async () => {
    expect(await engine.call('store.status', {})).toEqual({ ok: true, value: { initialised: false, unlocked: false, user: null, settings: null } });
    expect(await engine.call('cases.list', {})).toMatchObject({ ok: false, code: 'locked' });
  });

  it('validates input against the contract and never throws', async () => {
    expect(await engine.call('store.init', { admin: 'Alice!', passphrase: 'long enough' })).toMatchObject({ ok: false, code: 'bad-input', message: expect.stringMatching(/^admin: /) });
    expect(await engine.call('store.init', { admin: 'alice', passphrase: 'short' })).toMatchObject({ ok: false, code: 'bad-input' });
    expect(await engine.call('no.such' as never, {})).toMatchObject({ ok: false, code: 'bad-input' });
  });

  it('runs a session: init unlocks, roles apply, lock emits session.changed', async () => {
    const init = await engine.call('store.init', { admin: 'alice', passphrase: 'alice passphrase' });
    expect(init).toMatchObject({ ok: true, value: { initialised: true, unlocked: true, user: { name: 'alice', role: 'admin' }, settings: { idleLockMinutes: 10 } } });
    expect(await engine.call('users.add', { name: 'ivan', role: 'investigator', passphrase: 'ivan passphrase' })).toMatchObject({ ok: true });
    expect(await engine.call('settings.update', { idleLockMinutes: 3 })).toEqual({ ok: true, value: { idleLockMinutes: 3 } });
    await engine.call('session.lock', { reason: 'idle' });
    expect(await engine.call('session.unlock', { user: 'ivan', passphrase: 'wrong passphrase' })).toMatchObject({ ok: false, code: 'bad-credentials' });
    expect(await engine.call('session.unlock', { user: 'ivan', passphrase: 'ivan passphrase' })).toMatchObject({ ok: true });
    expect(await engine.call('users.list', {})).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await engine.call('settings.update', { idleLockMinutes: 1 })).toMatchObject({ ok: false, code: 'forbidden' });
    const created = await engine.call('cases.create', { number: 'GT-1', title: 'Prueba' });
    expect(created).toMatchObject({ ok: true, value: { number: 'GT-1', scheme: 'vics-us', createdBy: 'ivan' } });
    const log = await engine.call('custody.log', {});
    if (!log.ok) throw new Error(log.message);
    const lock = log.value.find((e) => e.action === 'session.lock');
    expect(lock?.details).toEqual({ reason: 'idle' });
    expect(log.value.find((e) => e.action === 'settings.update')?.details).toEqual({ idleLockMinutes: { from: 10, to: 3 } });
    expect(events.map((e) => e.event)).toEqual(['session.changed', 'session.changed', 'session.changed']);
  });

  it('serialises calls: concurrent unlocks cannot both open the store', async () => {
    await engine.call('store.init', { admin: 'alice', passphrase: 'alice passphrase' });
    await engine.call('session.lock', {});
    const [a, b] = await Promise.all([
      engine.call('session.unlock', { user: 'alice', passphrase: 'alice passphrase' }),
      engine.call('session.unlock', { user: 'alice', passphrase: 'alice passphrase' }),
    ]);
    expect(a.ok).toBe(true);
    expect(b).toMatchObject({ ok: false, code: 'conflict' });
  });
});
