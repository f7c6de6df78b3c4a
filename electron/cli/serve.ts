// Browser mode (development and Playwright tests; not shipped in the app): the same engine and
// contract over HTTP on 127.0.0.1, guarded by a one-time token handed out in the URL.
import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineEvent } from '../api/contract.js';
import type { Engine } from '../api/engine.js';

export const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer/', import.meta.url));

const MAX_BODY = 1024 * 1024;

const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export type ServeOptions = {
  readonly engine: Engine;
  readonly port: number;
  readonly open: boolean;
  readonly rendererDir?: string;
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown) => send(res, status, 'application/json', JSON.stringify(value));

function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The file under `root` that a URL path names, or null when it would step outside. */
export function staticFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^[/\\]+/, '');
  const full = join(root, rel);
  if (!full.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  return existsSync(full) && statSync(full).isFile() ? full : null;
}

export async function serve(options: ServeOptions): Promise<void> {
  const { engine } = options;
  const root = options.rendererDir ?? RENDERER_DIR;
  const token = randomBytes(32).toString('base64url');
  const streams = new Set<ServerResponse>();
  let origin = '';

  const unsubscribe = engine.onEvent((event: EngineEvent) => {
    for (const res of streams) res.write(`data: ${JSON.stringify(event)}\n\n`);
  });

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => sendJson(res, 500, { ok: false, code: 'internal', message: String(err) }));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Only our own origin: a page elsewhere that guesses the port (DNS rebinding) is refused.
    const host = req.headers.host ?? '';
    if (`http://${host}` !== origin) return send(res, 421, 'text/plain', 'wrong host');
    const url = new URL(req.url ?? '/', origin);

    if (url.pathname.startsWith('/api/')) {
      if (req.headers.origin !== undefined && req.headers.origin !== origin) return send(res, 403, 'text/plain', 'cross-origin request refused');
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!tokenMatches(bearer ?? url.searchParams.get('token'), token)) return send(res, 401, 'text/plain', 'token required');

      if (url.pathname === '/api/call' && req.method === 'POST') {
        let request: { method?: unknown; input?: unknown };
        try {
          request = JSON.parse(await readBody(req)) as typeof request;
        } catch {
          return sendJson(res, 200, { ok: false, code: 'bad-input', message: 'the request body is not JSON' });
        }
        const result = await engine.call(String(request.method) as never, request.input);
        return sendJson(res, 200, result);
      }
      if (url.pathname === '/api/events' && req.method === 'GET') {
        res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      return send(res, 404, 'text/plain', 'no such endpoint');
    }

    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed');
    if (!existsSync(join(root, 'index.html'))) {
      return send(res, 503, 'text/plain', 'the renderer is not built: run `npx vite build` first');
    }
    const file = staticFile(root, url.pathname) ?? join(root, 'index.html');
    return send(res, 200, MIME[extname(file)] ?? 'application/octet-stream', readFileSync(file));
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  origin = `http://127.0.0.1:${address.port}`;
  const link = `${origin}/#token=${token}`;
  process.stdout.write(`${link}\n`);
  process.stderr.write('browser mode: serving on 127.0.0.1 only; stop with Ctrl-C\n');
  if (options.open) openInBrowser(link);

  await new Promise<void>((resolveStop) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      unsubscribe();
      for (const res of streams) res.end();
      server.close(() => resolveStop());
      server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function openInBrowser(link: string): void {
  const [cmd, args] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '', link]] : process.platform === 'darwin' ? ['open', [link]] : ['xdg-open', [link]];
  const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`could not open a browser: open ${link} yourself\n`));
  child.unref();
}
