// Electron main: lifecycle only. What can be decided without Electron lives in the other
// files of this folder as plain functions; this one wires them in the order Electron needs.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, session, type BrowserWindow } from 'electron';
import { resolveStoreDir, startEngineProcess } from './engine-process.js';
import { hardenSession, hardenWebContents } from './hardening.js';
import { registerPathPicker } from './path-picker.js';
import { registerAppScheme, serveRenderer } from './protocol.js';
import { createMainWindow } from './window.js';

const here = dirname(fileURLToPath(import.meta.url));
// Relative to the bundle (dist/electron/main/index.js), the same in development and in app.asar.
const paths = {
  preload: join(here, 'preload.cjs'),
  engineHost: join(here, '..', 'engine', 'host.js'),
  renderer: join(here, '..', '..', 'renderer'),
};

type Disposable = () => void | Promise<void>;

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    // One engine per store: a second instance would be a second SQL writer.
    app.quit();
    return;
  }

  // Both must happen before 'ready'.
  app.enableSandbox();
  registerAppScheme();

  const disposables: Disposable[] = [];
  let mainWindow: BrowserWindow | null = null;
  let disposed = false;

  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('session-created', hardenSession);

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => app.quit());

  app.on('will-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    void (async () => {
      for (const dispose of disposables.reverse()) {
        try {
          await dispose();
        } catch (error) {
          console.error('custos: shutdown step failed', error);
        }
      }
      app.quit();
    })();
  });

  void app.whenReady().then(() => {
    hardenSession(session.defaultSession);
    disposables.push(serveRenderer(paths.renderer));

    const engine = startEngineProcess({
      hostPath: paths.engineHost,
      storeDir: resolveStoreDir(process.env, app.getPath('userData')),
      onFatal: (message) => {
        dialog.showErrorBox('Custos', message);
        app.quit();
      },
    });
    disposables.push(() => engine.dispose());

    mainWindow = createMainWindow({ preloadPath: paths.preload, isPackaged: app.isPackaged });
    disposables.push(registerPathPicker(() => mainWindow));
    engine.connect(mainWindow.webContents);
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  });
}

main();
