// Entry point of the Electron utility process that hosts the engine. Plain Node: Electron
// gives this process `process.parentPort`, which is typed locally so the engine never
// imports electron. Each window gets its own MessagePort; the engine is shared.
import { methods, type CallResult, type EngineEvent, type MethodName } from './contract.js';
import { createEngine, type Engine } from './engine.js';

/** The part of Electron's MessagePortMain the host uses. */
export type HostPort = {
  on(event: 'message', listener: (event: { readonly data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
};

type ParentPort = {
  on(event: 'message', listener: (event: { readonly data: unknown; readonly ports: readonly HostPort[] }) => void): unknown;
};

export type PortHub = {
  attach(port: HostPort): void;
  readonly size: number;
  dispose(): void;
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isMethodName(value: unknown): value is MethodName {
  return typeof value === 'string' && Object.hasOwn(methods, value);
}

/** Answers one wire message; never throws, so one bad call cannot take the port down. */
export async function answer(engine: Pick<Engine, 'call'>, data: unknown): Promise<{ id: number; result: CallResult<unknown> } | null> {
  if (!isObject(data) || typeof data.id !== 'number') return null;
  const { id, method, input } = data;
  if (!isMethodName(method)) {
    return { id, result: { ok: false, code: 'bad-input', message: `unknown method: ${String(method)}` } };
  }
  try {
    return { id, result: await engine.call(method, input) };
  } catch (error) {
    return { id, result: { ok: false, code: 'internal', message: error instanceof Error ? error.message : String(error) } };
  }
}

function safePost(port: HostPort, message: unknown): boolean {
  try {
    port.postMessage(message);
    return true;
  } catch {
    return false;
  }
}

/** Wires ports to one engine: calls in, replies and broadcast events out. */
export function createPortHub(engine: Pick<Engine, 'call' | 'onEvent'>): PortHub {
  const ports = new Set<HostPort>();
  const stopEvents = engine.onEvent((event: EngineEvent) => {
    for (const port of [...ports]) if (!safePost(port, event)) ports.delete(port);
  });

  return {
    attach(port) {
      ports.add(port);
      port.on('message', (event) => {
        void answer(engine, event.data).then((reply) => {
          if (reply && ports.has(port)) safePost(port, reply);
        });
      });
      port.on('close', () => ports.delete(port));
      port.start();
    },
    get size() {
      return ports.size;
    },
    dispose() {
      stopEvents();
      for (const port of ports) port.close();
      ports.clear();
    },
  };
}

/** `--store=DIR` from argv; Electron's layout of argv before our arguments is not relied on. */
export function storeDirFromArgv(argv: readonly string[]): string | null {
  const prefix = '--store=';
  const arg = argv.find((a) => a.startsWith(prefix));
  return arg && arg.length > prefix.length ? arg.slice(prefix.length) : null;
}

export type HostControl = { readonly type: 'connect' } | { readonly type: 'shutdown' };

function isHostControl(value: unknown): value is HostControl {
  return isObject(value) && (value.type === 'connect' || value.type === 'shutdown');
}

function main(): void {
  const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;
  const storeDir = storeDirFromArgv(process.argv);
  if (!parentPort || !storeDir) {
    console.error('custos engine host: run by the Electron shell with --store=DIR');
    process.exit(2);
  }

  const engine = createEngine({ storeDir });
  const hub = createPortHub(engine);
  let disposed = false;
  const shutdown = (): void => {
    if (disposed) return;
    disposed = true;
    hub.dispose();
    // Running ingests stop and the lock is recorded before the process goes.
    void engine.dispose().finally(() => process.exit(0));
  };

  parentPort.on('message', (event) => {
    if (!isHostControl(event.data)) return;
    if (event.data.type === 'shutdown') return shutdown();
    const port = event.ports[0];
    if (port) hub.attach(port);
  });
  process.on('SIGTERM', shutdown);
}

// Imported by tests for its functions; only the utility process (which has parentPort) runs it.
if ('parentPort' in process) main();
