// The engine (the one SQL writer) lives in an Electron utility process, never in main: a
// crash or a long query there cannot freeze the window, and main stays a thin router of
// MessagePorts. Each page load gets a fresh port pair; nothing goes through ipcMain.
import { join } from 'node:path';
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { ENGINE_PORT_CHANNEL } from './channels.js';

/** `CUSTOS_STORE` wins, as for the CLI; otherwise the store lives in the app's user data. */
export function resolveStoreDir(env: Readonly<Record<string, string | undefined>>, userDataPath: string): string {
  const fromEnv = env.CUSTOS_STORE?.trim();
  return fromEnv ? fromEnv : join(userDataPath, 'store');
}

export function hostArgs(storeDir: string): string[] {
  return [`--store=${storeDir}`];
}

export type RestartPolicy = { shouldRestart(now: number): boolean };

/** Restarts a crashed engine, but gives up when it keeps crashing rather than loop forever. */
export function createRestartPolicy(maxRestarts = 3, windowMs = 60_000): RestartPolicy {
  const restarts: number[] = [];
  return {
    shouldRestart(now) {
      while (restarts.length > 0 && (restarts[0] ?? 0) <= now - windowMs) restarts.shift();
      if (restarts.length >= maxRestarts) return false;
      restarts.push(now);
      return true;
    },
  };
}

export type EngineProcessOptions = {
  readonly hostPath: string;
  readonly storeDir: string;
  /** The engine died and will not be restarted: tell the user; the windows cannot work. */
  readonly onFatal: (message: string) => void;
  readonly restartPolicy?: RestartPolicy;
  readonly shutdownTimeoutMs?: number;
};

export type EngineProcess = {
  /** Hands the page in `contents` a port to the engine now and after every (re)load. */
  connect(contents: WebContents): void;
  dispose(): Promise<void>;
};

export function startEngineProcess(options: EngineProcessOptions): EngineProcess {
  const policy = options.restartPolicy ?? createRestartPolicy();
  const pages = new Set<WebContents>();
  let child: UtilityProcess | null = null;
  let stopping = false;

  function wire(contents: WebContents): void {
    if (!child || contents.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    child.postMessage({ type: 'connect' }, [port1]);
    contents.postMessage(ENGINE_PORT_CHANNEL, null, [port2]);
  }

  function spawn(): void {
    const proc = utilityProcess.fork(options.hostPath, hostArgs(options.storeDir), {
      serviceName: 'custos-engine',
      stdio: 'inherit',
    });
    proc.on('exit', (code) => {
      if (child === proc) child = null;
      if (stopping) return;
      if (policy.shouldRestart(Date.now())) {
        console.error(`custos: engine exited with code ${code}; restarting`);
        spawn();
        for (const contents of pages) wire(contents);
      } else {
        options.onFatal(`The Custos engine stopped (exit code ${code}) and could not be restarted.`);
      }
    });
    child = proc;
  }

  spawn();

  return {
    connect(contents) {
      pages.add(contents);
      // dom-ready fires after the preload ran, once per load: a reload has a fresh bridge.
      contents.on('dom-ready', () => wire(contents));
      contents.once('destroyed', () => pages.delete(contents));
    },
    dispose() {
      stopping = true;
      pages.clear();
      const proc = child;
      child = null;
      if (!proc) return Promise.resolve();
      return new Promise<void>((resolve) => {
        // The engine closes the database itself (WAL checkpoint); kill only if it hangs.
        const timer = setTimeout(() => {
          proc.kill();
          resolve();
        }, options.shutdownTimeoutMs ?? 5_000);
        proc.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        proc.postMessage({ type: 'shutdown' });
      });
    },
  };
}
