import { join } from 'node:path';
import type { WebContents } from 'electron';
import { afterEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

const electron = vi.hoisted(() => {
  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener): this {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener): this {
      const wrapped: Listener = (...args) => {
        this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== wrapped));
        listener(...args);
      };
      return this.on(event, wrapped);
    }
    emit(event: string, ...args: unknown[]): void {
      for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
    }
  }
  class FakeChild extends Emitter {
    readonly posted: { message: unknown; transfer: unknown[] }[] = [];
    readonly kill = vi.fn(() => true);
    postMessage(message: unknown, transfer: unknown[] = []): void {
      this.posted.push({ message, transfer });
    }
  }
  let channels = 0;
  class MessageChannelMain {
    readonly port1 = { name: `port1#${++channels}` };
    readonly port2 = { name: `port2#${channels}` };
  }
  const children: FakeChild[] = [];
  const fork = vi.fn((..._args: unknown[]) => {
    const child = new FakeChild();
    children.push(child);
    return child;
  });
  return { Emitter, children, utilityProcess: { fork }, MessageChannelMain };
});
vi.mock('electron', () => ({ utilityProcess: electron.utilityProcess, MessageChannelMain: electron.MessageChannelMain }));

const { createRestartPolicy, hostArgs, resolveStoreDir, startEngineProcess } = await import('../../../electron/main/engine-process.js');

class FakeContents extends electron.Emitter {
  destroyed = false;
  readonly posted: { channel: string; message: unknown; transfer: unknown[] }[] = [];
  isDestroyed(): boolean {
    return this.destroyed;
  }
  postMessage(channel: string, message: unknown, transfer: unknown[] = []): void {
    this.posted.push({ channel, message, transfer });
  }
}

function start(overrides: Partial<Parameters<typeof startEngineProcess>[0]> = {}) {
  const onFatal = vi.fn();
  const engine = startEngineProcess({ hostPath: '/app/dist/electron/engine/host.js', storeDir: '/data/store', onFatal, ...overrides });
  return { engine, onFatal, child: () => electron.children.at(-1) };
}

afterEach(() => {
  electron.children.length = 0;
  electron.utilityProcess.fork.mockClear();
  vi.useRealTimers();
});

describe('resolveStoreDir', () => {
  it('defaults to <userData>/store', () => {
    expect(resolveStoreDir({}, '/home/ana/.config/Custos')).toBe(join('/home/ana/.config/Custos', 'store'));
    expect(resolveStoreDir({ CUSTOS_STORE: '  ' }, '/u')).toBe(join('/u', 'store'));
  });
  it('honours CUSTOS_STORE', () => {
    expect(resolveStoreDir({ CUSTOS_STORE: '/evidence/store' }, '/u')).toBe('/evidence/store');
  });
  it('hands the store to the host as one --store= argument', () => {
    expect(hostArgs('/evidence/my store')).toEqual(['--store=/evidence/my store']);
  });
});

describe('createRestartPolicy', () => {
  it('allows a few restarts per window, then gives up until the window passes', () => {
    const policy = createRestartPolicy(3, 60_000);
    expect([0, 1_000, 2_000].map((t) => policy.shouldRestart(t))).toEqual([true, true, true]);
    expect(policy.shouldRestart(3_000)).toBe(false);
    expect(policy.shouldRestart(60_001)).toBe(true);
  });
});

describe('startEngineProcess', () => {
  it('forks the host as the custos-engine utility process with the store directory', () => {
    start();
    expect(electron.utilityProcess.fork).toHaveBeenCalledWith('/app/dist/electron/engine/host.js', ['--store=/data/store'], {
      serviceName: 'custos-engine',
      stdio: 'inherit',
    });
  });

  it('gives each page load its own port pair: one end to the engine, the other to the page', () => {
    const { engine, child } = start();
    const contents = new FakeContents();
    engine.connect(contents as unknown as WebContents);
    expect(child()?.posted).toEqual([]);

    contents.emit('dom-ready');
    expect(child()?.posted).toEqual([{ message: { type: 'connect' }, transfer: [expect.objectContaining({ name: expect.stringMatching(/^port1#/) })] }]);
    expect(contents.posted).toEqual([
      { channel: 'custos:port', message: null, transfer: [expect.objectContaining({ name: expect.stringMatching(/^port2#/) })] },
    ]);
    const [toEngine] = child()?.posted[0]?.transfer ?? [];
    const [toPage] = contents.posted[0]?.transfer ?? [];
    expect((toEngine as { name: string }).name.slice(6)).toBe((toPage as { name: string }).name.slice(6));

    contents.emit('dom-ready');
    expect(contents.posted).toHaveLength(2);
  });

  it('restarts a crashed engine and reconnects the open pages', () => {
    const { engine, onFatal } = start();
    const contents = new FakeContents();
    engine.connect(contents as unknown as WebContents);
    contents.emit('dom-ready');
    vi.spyOn(console, 'error').mockImplementation(() => undefined);

    electron.children[0]?.emit('exit', 1);
    expect(electron.utilityProcess.fork).toHaveBeenCalledTimes(2);
    expect(electron.children[1]?.posted).toEqual([{ message: { type: 'connect' }, transfer: [expect.anything()] }]);
    expect(contents.posted).toHaveLength(2);
    expect(onFatal).not.toHaveBeenCalled();
    vi.mocked(console.error).mockRestore();
  });

  it('reports instead of restarting an engine that keeps crashing', () => {
    const { onFatal } = start({ restartPolicy: { shouldRestart: () => false } });
    electron.children[0]?.emit('exit', 134);
    expect(electron.utilityProcess.fork).toHaveBeenCalledTimes(1);
    expect(onFatal).toHaveBeenCalledWith(expect.stringContaining('134'));
  });

  it('forgets destroyed pages', () => {
    const { engine } = start();
    const contents = new FakeContents();
    engine.connect(contents as unknown as WebContents);
    contents.emit('dom-ready');
    contents.emit('destroyed');
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    electron.children[0]?.emit('exit', 1);
    vi.mocked(console.error).mockRestore();
    expect(contents.posted).toHaveLength(1);
    expect(electron.children[1]?.posted).toEqual([]);
  });

  it('asks the engine to shut down and waits for it to exit', async () => {
    const { engine, onFatal } = start();
    const child = electron.children[0];
    const done = engine.dispose();
    expect(child?.posted).toEqual([{ message: { type: 'shutdown' }, transfer: [] }]);
    child?.emit('exit', 0);
    await done;
    expect(child?.kill).not.toHaveBeenCalled();
    expect(electron.utilityProcess.fork).toHaveBeenCalledTimes(1);
    expect(onFatal).not.toHaveBeenCalled();
  });

  it('kills an engine that does not exit in time', async () => {
    vi.useFakeTimers();
    const { engine } = start({ shutdownTimeoutMs: 1_000 });
    const done = engine.dispose();
    await vi.advanceTimersByTimeAsync(1_000);
    await done;
    expect(electron.children[0]?.kill).toHaveBeenCalled();
  });
});
