/** The one IPC channel between main and preload: it carries the engine's MessagePort. */
export const ENGINE_PORT_CHANNEL = 'custos:port';
