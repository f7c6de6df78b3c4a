import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CustosBridge, EngineEvent } from '../../../electron/api/contract.js';

type PortListener = (event: { ports: unknown[] }) => void;

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  portListeners: new Map<string, PortListener[]>(),
  invoked: [] as { channel: string; args: unknown[] }[],
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (channel: string, ...args: unknown[]) => {
      electron.invoked.push({ channel, args });
      return Promise.resolve(['/media/evidence/usb1']);
    },
    on: (channel: string, listener: PortListener) => {
      electron.portListeners.set(channel, [...(electron.portListeners.get(channel) ?? []), listener]);
    },
  },
}));

class FakePort {
  readonly sent: unknown[] = [];
  onmessage: ((event: { data: unknown }) => void) | null = null;
  closed = false;
  postMessage(message: unknown): void {
    this.sent.push(message);
  }
  close(): void {
    this.closed = true;
  }
  reply(data: unknown): void {
    this.onmessage?.({ data });
  }
}

async function loadPreload(): Promise<CustosBridge> {
  electron.exposed.clear();
  electron.portListeners.clear();
  vi.resetModules();
  await import('../../../electron/main/preload.js');
  return electron.exposed.get('custos') as CustosBridge;
}

function deliverPort(port: FakePort | undefined): void {
  for (const listener of electron.portListeners.get('custos:port') ?? []) listener({ ports: port ? [port] : [] });
}

const status = { initialised: true, unlocked: false, user: null, settings: null };

describe('preload bridge', () => {
  let custos: CustosBridge;
  beforeEach(async () => {
    custos = await loadPreload();
  });

  it('exposes window.custos with call, onEvent and pickPaths only', async () => {
    expect([...electron.exposed.keys()]).toEqual(['custos']);
    expect(Object.keys(custos).sort()).toEqual(['call', 'onEvent', 'pickPaths']);
    expect(await custos.pickPaths?.('folder')).toEqual(['/media/evidence/usb1']);
    expect(electron.invoked.at(-1)).toEqual({ channel: 'custos:pick-paths', args: ['folder'] });
    expect(typeof custos.call).toBe('function');
    expect(typeof custos.onEvent).toBe('function');
    expect(electron.portListeners.has('custos:port')).toBe(true);
  });

  it('queues calls until the port arrives, then sends them in order', async () => {
    const first = custos.call('store.status', {});
    const second = custos.call('cases.list', {});
    const port = new FakePort();
    deliverPort(port);
    expect(port.sent).toEqual([
      { id: 1, method: 'store.status', input: {} },
      { id: 2, method: 'cases.list', input: {} },
    ]);
    port.reply({ id: 1, result: { ok: true, value: status } });
    port.reply({ id: 2, result: { ok: true, value: [] } });
    await expect(first).resolves.toEqual({ ok: true, value: status });
    await expect(second).resolves.toEqual({ ok: true, value: [] });
  });

  it('matches replies to calls by id, whatever their order', async () => {
    const port = new FakePort();
    deliverPort(port);
    const a = custos.call('store.status', {});
    const b = custos.call('session.unlock', { user: 'ana', passphrase: 'x' });
    port.reply({ id: 2, result: { ok: false, code: 'bad-credentials', message: 'wrong passphrase' } });
    port.reply({ id: 999, result: { ok: true, value: 'stray' } });
    port.reply({ id: 1, result: { ok: true, value: status } });
    await expect(a).resolves.toEqual({ ok: true, value: status });
    await expect(b).resolves.toEqual({ ok: false, code: 'bad-credentials', message: 'wrong passphrase' });
  });

  it('ignores malformed messages', async () => {
    const port = new FakePort();
    deliverPort(port);
    const call = custos.call('store.status', {});
    for (const junk of [null, 'x', 42, { id: 1 }, { id: '1', result: { ok: true } }, { id: 1, result: 'ok' }]) port.reply(junk);
    port.reply({ id: 1, result: { ok: true, value: status } });
    await expect(call).resolves.toEqual({ ok: true, value: status });
  });

  it('delivers engine events to listeners until they unsubscribe', () => {
    const port = new FakePort();
    deliverPort(port);
    const seen: EngineEvent[] = [];
    const stop = custos.onEvent((event) => seen.push(event));
    const failing = custos.onEvent(() => {
      throw new Error('a broken listener must not stop the others');
    });
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    port.reply({ event: 'session.changed', payload: status });
    expect(consoleError).toHaveBeenCalledOnce();
    consoleError.mockRestore();
    stop();
    failing();
    port.reply({ event: 'session.changed', payload: status });
    expect(seen).toEqual([{ event: 'session.changed', payload: status }]);
  });

  it('answers calls in flight with an error when a new port replaces the old one', async () => {
    const old = new FakePort();
    deliverPort(old);
    const inFlight = custos.call('store.status', {});
    const next = new FakePort();
    deliverPort(next);
    await expect(inFlight).resolves.toMatchObject({ ok: false, code: 'internal' });
    expect(old.closed).toBe(true);
    expect(old.onmessage).toBeNull();

    const after = custos.call('store.status', {});
    expect(next.sent).toEqual([{ id: 2, method: 'store.status', input: {} }]);
    next.reply({ id: 2, result: { ok: true, value: status } });
    await expect(after).resolves.toEqual({ ok: true, value: status });
  });

  it('turns a failed post into an error result instead of a rejection', async () => {
    const port = new FakePort();
    port.postMessage = () => {
      throw new Error('port closed');
    };
    deliverPort(port);
    await expect(custos.call('store.status', {})).resolves.toMatchObject({ ok: false, code: 'internal' });
  });

  it('ignores a port message that carries no port', async () => {
    deliverPort(undefined);
    const pending = custos.call('store.status', {});
    const port = new FakePort();
    deliverPort(port);
    port.reply({ id: 1, result: { ok: true, value: status } });
    await expect(pending).resolves.toEqual({ ok: true, value: status });
  });
});
