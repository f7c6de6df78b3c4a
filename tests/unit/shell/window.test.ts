import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const instances: { options: unknown; loadURL: ReturnType<typeof vi.fn>; removeMenu: ReturnType<typeof vi.fn> }[] = [];
  class BrowserWindow {
    readonly loadURL = vi.fn(() => Promise.resolve());
    readonly removeMenu = vi.fn();
    readonly once = vi.fn();
    readonly show = vi.fn();
    constructor(readonly options: unknown) {
      instances.push(this);
    }
  }
  return { BrowserWindow, instances, protocol: {} };
});
vi.mock('electron', () => electron);

const { createMainWindow, webPreferencesFor } = await import('../../../electron/main/window.js');

describe('webPreferencesFor', () => {
  it('turns on every renderer safeguard', () => {
    const prefs = webPreferencesFor({ preloadPath: '/app/dist/electron/main/preload.cjs', isPackaged: true });
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/main/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
  });

  it('allows DevTools only in development', () => {
    expect(webPreferencesFor({ preloadPath: 'p', isPackaged: false }).devTools).toBe(true);
    expect(webPreferencesFor({ preloadPath: 'p', isPackaged: true }).devTools).toBe(false);
  });
});

describe('createMainWindow', () => {
  it('loads the renderer from app://custos with the hardened preferences', () => {
    createMainWindow({ preloadPath: 'preload.cjs', isPackaged: true });
    const window = electron.instances.at(-1);
    expect(window?.options).toMatchObject({ show: false, webPreferences: webPreferencesFor({ preloadPath: 'preload.cjs', isPackaged: true }) });
    expect(window?.loadURL).toHaveBeenCalledWith('app://custos/index.html');
    expect(window?.removeMenu).toHaveBeenCalled();
  });
});
