/** The engine's MessagePort reaches the preload on this channel. */
export const ENGINE_PORT_CHANNEL = 'custos:port';

/** The native open dialog for evidence sources: the only request the page makes of main. */
export const PICK_PATHS_CHANNEL = 'custos:pick-paths';
