import type { CustosBridge } from '../../electron/api/contract';

declare global {
  interface Window {
    /** Exposed by the preload in the Electron app; absent in browser mode. */
    readonly custos?: CustosBridge;
  }
}

export function electronBridge(): CustosBridge | null {
  return window.custos ?? null;
}
