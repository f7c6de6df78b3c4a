// Sandboxed preload, bundled as CommonJS. The page gets `window.custos` (call, onEvent and the
// native source picker) and nothing else: ipcRenderer stays here, and the port itself never
// crosses the context bridge.
import { contextBridge, ipcRenderer } from 'electron';
import { ENGINE_PORT_CHANNEL, PICK_PATHS_CHANNEL } from './channels.js';
import { createPortBridge, type BridgePort } from './port-bridge.js';
import type { CustosBridge } from '../api/contract.js';

const { bridge, attachPort } = createPortBridge();

ipcRenderer.on(ENGINE_PORT_CHANNEL, (event) => {
  const port: BridgePort | undefined = event.ports[0];
  if (port) attachPort(port);
});

contextBridge.exposeInMainWorld('custos', {
  call: (method: Parameters<typeof bridge.call>[0], input: unknown) => bridge.call(method, input),
  onEvent: (listener: Parameters<typeof bridge.onEvent>[0]) => bridge.onEvent(listener),
  pickPaths: (kind: 'folder' | 'file') => ipcRenderer.invoke(PICK_PATHS_CHANNEL, kind) as Promise<readonly string[]>,
} satisfies CustosBridge);
