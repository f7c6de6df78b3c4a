// The renderer side of the MessagePort protocol, kept free of Electron so it can be tested
// with plain objects. preload.ts hands it the port and exposes the bridge.
import type { CallResult, CustosBridge, EngineEvent, MethodName } from '../api/contract.js';

/** The part of a DOM MessagePort the bridge uses. */
export type BridgePort = {
  postMessage(message: unknown): void;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  close(): void;
};

type Pending = { readonly resolve: (result: CallResult<unknown>) => void };
type Queued = { readonly id: number; readonly method: MethodName; readonly input: unknown };

export type PortBridge = {
  readonly bridge: CustosBridge;
  /** Called when the shell hands over a port; a later port (engine restart) replaces the first. */
  attachPort(port: BridgePort): void;
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function failure(message: string): CallResult<unknown> {
  return { ok: false, code: 'internal', message };
}

export function createPortBridge(): PortBridge {
  let port: BridgePort | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const queue: Queued[] = [];
  const listeners = new Set<(event: EngineEvent) => void>();

  function send(request: Queued): void {
    try {
      port?.postMessage(request);
    } catch (error) {
      settle(request.id, failure(`could not reach the engine: ${String(error)}`));
    }
  }

  function settle(id: number, result: CallResult<unknown>): void {
    const entry = pending.get(id);
    if (!entry) return;
    pending.delete(id);
    entry.resolve(result);
  }

  function receive(data: unknown): void {
    if (!isObject(data)) return;
    if (typeof data.id === 'number' && isObject(data.result) && typeof data.result.ok === 'boolean') {
      settle(data.id, data.result as CallResult<unknown>);
    } else if (typeof data.event === 'string' && 'payload' in data) {
      const event = { event: data.event, payload: data.payload } as EngineEvent;
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          console.error('custos: event listener failed', error);
        }
      }
    }
  }

  const bridge: CustosBridge = {
    call(method, input) {
      const request: Queued = { id: nextId++, method, input };
      return new Promise((resolve) => {
        pending.set(request.id, { resolve });
        if (port) send(request);
        else queue.push(request);
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };

  return {
    bridge,
    attachPort(next) {
      if (port) {
        // Calls in flight went to an engine that is gone; they will never be answered.
        port.onmessage = null;
        port.close();
        for (const id of [...pending.keys()]) settle(id, failure('the engine restarted; try again'));
      }
      port = next;
      port.onmessage = (event) => receive(event.data);
      for (const request of queue.splice(0)) send(request);
    },
  };
}
