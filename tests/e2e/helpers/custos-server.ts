// Starts `custos serve` on a fresh, not-yet-existing store and hands back the URL it prints.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const URL_LINE = /^http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+)$/;
const START_TIMEOUT_MS = 45_000;

export type CustosServer = {
  /** Exactly what `custos serve` printed, token included. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly storeDir: string;
  stop(): Promise<void>;
};

export async function startCustosServer(): Promise<CustosServer> {
  const scratch = await mkdtemp(join(tmpdir(), 'custos-e2e-'));
  // The store directory does not exist yet: first-run setup creates it.
  const storeDir = join(scratch, 'store');
  // Nothing from the developer's shell may pick another store, user or passphrase.
  const { CUSTOS_STORE: _store, CUSTOS_USER: _user, CUSTOS_PASSPHRASE: _passphrase, ...env } = process.env;

  const child = spawn(join(REPO_ROOT, 'node_modules/.bin/tsx'), ['electron/cli/main.ts', 'serve', '--store', storeDir, '--port', '0'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killTimer);
    }
    await rm(scratch, { recursive: true, force: true });
  };

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`custos serve printed no URL within ${START_TIMEOUT_MS} ms\n${stderr}`)), START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      if (URL_LINE.test(line.trim())) resolve(line.trim());
      else reject(new Error(`unexpected first line from custos serve: ${JSON.stringify(line)}\n${stderr}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`custos serve exited (${code ?? signal}) before printing its URL\n${stderr}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  const match = URL_LINE.exec(url);
  const token = match?.[2] ?? '';
  return { url, origin: new URL(url).origin, token, storeDir, stop };
}
