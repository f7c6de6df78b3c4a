// One window, every renderer safeguard on: the page is untrusted as far as the shell is
// concerned, since it renders data taken from seized media.
import { BrowserWindow, type WebPreferences } from 'electron';
import { APP_ENTRY_URL } from './protocol.js';

export type WindowOptions = {
  readonly preloadPath: string;
  /** DevTools are for development builds only; a packaged workstation never opens them. */
  readonly isPackaged: boolean;
};

export function webPreferencesFor(options: WindowOptions): WebPreferences {
  return {
    preload: options.preloadPath,
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
    safeDialogs: true,
    devTools: !options.isPackaged,
  };
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Custos',
    backgroundColor: '#1e1e1e',
    webPreferences: webPreferencesFor(options),
  });
  // The default menu carries reload and DevTools accelerators: keep them for development only.
  if (options.isPackaged) window.removeMenu();
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_ENTRY_URL);
  return window;
}
