import { describe, expect, it, vi } from 'vitest';
import type { CallResult, EngineEvent, MethodName } from '../../../electron/api/contract.js';
import type { Engine } from '../../../electron/api/engine.js';
import type { HostPort } from '../../../electron/api/utility-host.js';

// The host is tested without a store: the real engine is replaced by a fake below.
vi.mock('../../../electron/api/engine.js', () => ({ createEngine: vi.fn() }));

const { answer, createPortHub, storeDirFromArgv } = await import('../../../electron/api/utility-host.js');

type Call = { method: MethodName; input: unknown };

function fakeEngine(reply: (call: Call) => CallResult<unknown> | Promise<CallResult<unknown>> = () => ({ ok: true, value: null })) {
  const calls: Call[] = [];
  const listeners = new Set<(event: EngineEvent) => void>();
  const engine = {
    calls,
    listeners,
    call: vi.fn(async (method: MethodName, input: unknown) => {
      calls.push({ method, input });
      return reply({ method, input });
    }),
    onEvent: vi.fn((listener: (event: EngineEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    emit(event: EngineEvent) {
      for (const listener of listeners) listener(event);
    },
  };
  return engine as typeof engine & Pick<Engine, 'call' | 'onEvent'>;
}

class FakePort implements HostPort {
  readonly sent: unknown[] = [];
  started = false;
  closed = false;
  private readonly handlers = new Map<string, ((event?: unknown) => void)[]>();
  on(event: 'message', listener: (event: { readonly data: unknown }) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: string, listener: (event: never) => void): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), listener as (event?: unknown) => void]);
    return this;
  }
  postMessage(message: unknown): void {
    if (this.closed) throw new Error('port closed');
    this.sent.push(message);
  }
  start(): void {
    this.started = true;
  }
  close(): void {
    this.closed = true;
  }
  deliver(data: unknown): void {
    for (const handler of this.handlers.get('message') ?? []) handler({ data });
  }
  remoteClosed(): void {
    for (const handler of this.handlers.get('close') ?? []) handler();
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const status = { initialised: false, unlocked: false, user: null, settings: null };

describe('answer', () => {
  it('calls the engine and wraps the result with the request id', async () => {
    const engine = fakeEngine(() => ({ ok: true, value: status }));
    await expect(answer(engine, { id: 7, method: 'store.status', input: {} })).resolves.toEqual({ id: 7, result: { ok: true, value: status } });
    expect(engine.calls).toEqual([{ method: 'store.status', input: {} }]);
  });

  it('drops messages that are not requests', async () => {
    const engine = fakeEngine();
    for (const data of [null, undefined, 'store.status', 3, { method: 'store.status' }, { id: '1', method: 'store.status' }]) {
      await expect(answer(engine, data)).resolves.toBeNull();
    }
    expect(engine.call).not.toHaveBeenCalled();
  });

  it('refuses unknown methods without reaching the engine', async () => {
    const engine = fakeEngine();
    for (const method of ['store.drop', 'constructor', '__proto__', 'toString', 42]) {
      await expect(answer(engine, { id: 1, method, input: {} })).resolves.toMatchObject({ id: 1, result: { ok: false, code: 'bad-input' } });
    }
    expect(engine.call).not.toHaveBeenCalled();
  });

  it('turns an engine that throws into an internal error result', async () => {
    const engine = fakeEngine(() => {
      throw new Error('disk on fire');
    });
    await expect(answer(engine, { id: 3, method: 'cases.list', input: {} })).resolves.toEqual({
      id: 3,
      result: { ok: false, code: 'internal', message: 'disk on fire' },
    });
  });
});

describe('createPortHub', () => {
  it('starts each port and replies on the port that asked', async () => {
    const engine = fakeEngine(({ method }) => ({ ok: true, value: method }));
    const hub = createPortHub(engine);
    const a = new FakePort();
    const b = new FakePort();
    hub.attach(a);
    hub.attach(b);
    expect(a.started && b.started).toBe(true);

    a.deliver({ id: 1, method: 'store.status', input: {} });
    b.deliver({ id: 1, method: 'cases.list', input: {} });
    await flush();
    expect(a.sent).toEqual([{ id: 1, result: { ok: true, value: 'store.status' } }]);
    expect(b.sent).toEqual([{ id: 1, result: { ok: true, value: 'cases.list' } }]);
  });

  it('broadcasts engine events to every port', () => {
    const engine = fakeEngine();
    const hub = createPortHub(engine);
    const ports = [new FakePort(), new FakePort()];
    for (const port of ports) hub.attach(port);
    engine.emit({ event: 'session.changed', payload: status });
    for (const port of ports) expect(port.sent).toEqual([{ event: 'session.changed', payload: status }]);
  });

  it('forgets ports that closed or can no longer be written', () => {
    const engine = fakeEngine();
    const hub = createPortHub(engine);
    const gone = new FakePort();
    const broken = new FakePort();
    const alive = new FakePort();
    for (const port of [gone, broken, alive]) hub.attach(port);
    gone.remoteClosed();
    broken.closed = true;
    engine.emit({ event: 'session.changed', payload: status });
    expect(hub.size).toBe(1);
    expect(alive.sent).toHaveLength(1);
    expect(gone.sent).toHaveLength(0);
  });

  it('does not answer on a port that closed while the call ran', async () => {
    let release: (value: CallResult<unknown>) => void = () => undefined;
    const engine = fakeEngine(() => new Promise((resolve) => (release = resolve)));
    const hub = createPortHub(engine);
    const port = new FakePort();
    hub.attach(port);
    port.deliver({ id: 1, method: 'custody.verify', input: {} });
    port.remoteClosed();
    release({ ok: true, value: null });
    await flush();
    expect(port.sent).toEqual([]);
  });

  it('dispose unsubscribes from the engine and closes every port', () => {
    const engine = fakeEngine();
    const hub = createPortHub(engine);
    const port = new FakePort();
    hub.attach(port);
    hub.dispose();
    expect(engine.listeners.size).toBe(0);
    expect(port.closed).toBe(true);
    expect(hub.size).toBe(0);
  });
});

describe('storeDirFromArgv', () => {
  it('reads --store=DIR wherever it stands', () => {
    expect(storeDirFromArgv(['/opt/Custos/custos', '/app/host.js', '--store=/home/ana/.config/Custos/store'])).toBe('/home/ana/.config/Custos/store');
    expect(storeDirFromArgv(['--store=C:\\Users\\ana\\store', 'x'])).toBe('C:\\Users\\ana\\store');
  });

  it('is null without a usable value', () => {
    expect(storeDirFromArgv(['/opt/Custos/custos'])).toBeNull();
    expect(storeDirFromArgv(['--store='])).toBeNull();
    expect(storeDirFromArgv(['--store', '/tmp/x'])).toBeNull();
  });
});
