import type { CustosBridge, EngineEvent, MethodInput, MethodName, MethodOutput } from '../../electron/api/contract';
import { takeBrowserToken } from './browser-token';
import { electronBridge } from './electron-transport';
import { ApiError, TokenRefusedError } from './errors';
import { httpBridge } from './http-transport';

export type ApiClient = {
  /** Resolves with the method's output or rejects with an ApiError (or TokenRefusedError in browser mode). */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Browser mode: called once the server refuses our token, so the app can show why it cannot work. */
  onTokenRefused(listener: () => void): () => void;
  /** False when no transport could be set up (browser mode opened without the token link). */
  readonly connected: boolean;
  /** The system's file or folder chooser (Electron); null in browser mode, where paths are typed. */
  readonly pickPaths: PickPaths | null;
};

export type PickPaths = (kind: 'folder' | 'file') => Promise<readonly string[]>;

function pathPicker(bridge: CustosBridge | null): PickPaths | null {
  const pick = bridge?.pickPaths;
  // Called through the bridge object: the preload's function may rely on its `this`.
  return pick ? (kind) => pick.call(bridge, kind) : null;
}

export function createApiClient(bridge: CustosBridge | null): ApiClient {
  const refusedListeners = new Set<() => void>();
  const refused = () => {
    for (const listener of refusedListeners) listener();
  };

  return {
    connected: bridge !== null,
    pickPaths: pathPicker(bridge),

    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
      if (!bridge) {
        refused();
        throw new TokenRefusedError('no token');
      }
      try {
        const result = await bridge.call(method, input);
        // The engine validated the input and produced this method's output type.
        if (result.ok) return result.value as MethodOutput<M>;
        throw new ApiError(result.code, result.message);
      } catch (error) {
        if (error instanceof TokenRefusedError) refused();
        throw error;
      }
    },

    onEvent(listener) {
      return bridge ? bridge.onEvent(listener) : () => undefined;
    },

    onTokenRefused(listener) {
      refusedListeners.add(listener);
      return () => refusedListeners.delete(listener);
    },
  };
}

/** Electron when the preload exposed its bridge, otherwise browser mode over HTTP on 127.0.0.1. */
export function connectApiClient(): ApiClient {
  const electron = electronBridge();
  if (electron) return createApiClient(electron);
  const token = takeBrowserToken();
  return createApiClient(token ? httpBridge(token) : null);
}
