import type { CallResult, CustosBridge, EngineEvent, MethodName } from '../../electron/api/contract';
import { TokenRefusedError } from './errors';

/** Browser mode: POST /api/call for calls, server-sent events on /api/events, both on our own origin. */
export function httpBridge(token: string): CustosBridge {
  return {
    async call(method: MethodName, input: unknown): Promise<CallResult<unknown>> {
      let response: Response;
      try {
        response = await fetch('/api/call', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ method, input }),
          cache: 'no-store',
        });
      } catch (error) {
        return { ok: false, code: 'internal', message: `engine unreachable: ${String(error)}` };
      }
      if (response.status === 401) throw new TokenRefusedError('token refused');
      if (!response.ok) return { ok: false, code: 'internal', message: `HTTP ${response.status}` };
      return (await response.json()) as CallResult<unknown>;
    },

    onEvent(listener: (event: EngineEvent) => void): () => void {
      const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (message: MessageEvent<string>) => {
        listener(JSON.parse(message.data) as EngineEvent);
      };
      return () => source.close();
    },
  };
}
