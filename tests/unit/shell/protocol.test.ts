import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn(), unhandle: vi.fn() },
}));
vi.mock('electron', () => electron);

const { CONTENT_SECURITY_POLICY, createAppRequestHandler, mimeTypeFor, registerAppScheme, resolveAppAsset, serveRenderer } =
  await import('../../../electron/main/protocol.js');

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'custos-protocol-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Custos</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(root, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'a b.svg'), '<svg/>');
  writeFileSync(join(base, 'secret.txt'), 'outside the root');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveAppAsset', () => {
  it('maps app://custos/ paths to files under the root', () => {
    expect(resolveAppAsset(root, 'app://custos/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://custos/assets/app.js')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveAppAsset(root, 'app://custos/assets/a%20b.svg')).toBe(join(root, 'assets', 'a b.svg'));
  });

  it('serves index.html for the bare origin', () => {
    expect(resolveAppAsset(root, 'app://custos/')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://custos')).toBe(join(root, 'index.html'));
  });

  it('ignores query strings and fragments', () => {
    expect(resolveAppAsset(root, 'app://custos/assets/app.js?v=3')).toBe(join(root, 'assets', 'app.js'));
    expect(resolveAppAsset(root, 'app://custos/index.html#/cases?x=../../secret.txt')).toBe(join(root, 'index.html'));
  });

  it('never leaves the root through dot segments, plain or encoded', () => {
    for (const url of [
      'app://custos/../../etc/passwd',
      'app://custos/../secret.txt',
      'app://custos/%2e%2e/secret.txt',
      'app://custos/%2E%2E/%2e%2e/etc/passwd',
      'app://custos/assets/..%2f..%2fsecret.txt',
      'app://custos/..%2fsecret.txt',
      'app://custos/assets/..%5c..%5csecret.txt',
      'app://custos/%2fetc%2fpasswd',
      'app://custos/assets/app.js%00.html',
    ]) {
      expect(resolveAppAsset(root, url), url).toBeNull();
    }
  });

  it('refuses a symlink that points out of the root', () => {
    expect(resolveAppAsset(root, 'app://custos/assets/link.txt')).toBeNull();
  });

  it('refuses other hosts, schemes and credentials', () => {
    expect(resolveAppAsset(root, 'app://evil/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'app://custos.evil/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'app://user:pw@custos/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'file:///etc/passwd')).toBeNull();
    expect(resolveAppAsset(root, 'https://custos/index.html')).toBeNull();
    expect(resolveAppAsset(root, 'not a url')).toBeNull();
  });

  it('returns null for missing files, directories and bad encodings', () => {
    expect(resolveAppAsset(root, 'app://custos/missing.js')).toBeNull();
    expect(resolveAppAsset(root, 'app://custos/assets')).toBeNull();
    expect(resolveAppAsset(root, 'app://custos/assets/')).toBeNull();
    expect(resolveAppAsset(root, 'app://custos/%E0%A4%A')).toBeNull();
    expect(resolveAppAsset(join(base, 'no-such-root'), 'app://custos/index.html')).toBeNull();
  });
});

describe('the app:// request handler', () => {
  it('serves files with their MIME type and the CSP', async () => {
    const handler = createAppRequestHandler(root);
    const response = await handler(new Request('app://custos/assets/app.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log(1)');

    const html = await handler(new Request('app://custos/'));
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('answers 404 (with the CSP) for anything it will not serve', async () => {
    const handler = createAppRequestHandler(root);
    for (const url of ['app://custos/missing.js', 'app://custos/..%2fsecret.txt', 'app://other/index.html']) {
      const response = await handler(new Request(url));
      expect(response.status, url).toBe(404);
      expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const handler = createAppRequestHandler(root);
    const response = await handler(new Request('app://custos/index.html', { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
    const head = await handler(new Request('app://custos/index.html', { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});

describe('MIME types and CSP', () => {
  it('knows the types a Vite build emits', () => {
    expect(mimeTypeFor('a.css')).toBe('text/css; charset=utf-8');
    expect(mimeTypeFor('a.SVG')).toBe('image/svg+xml');
    expect(mimeTypeFor('a.woff2')).toBe('font/woff2');
    expect(mimeTypeFor('a.wasm')).toBe('application/wasm');
    expect(mimeTypeFor('a.json')).toBe('application/json; charset=utf-8');
    expect(mimeTypeFor('a.unknown')).toBe('application/octet-stream');
  });

  it('is the policy the design asks for', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
  });
});

describe('scheme registration', () => {
  it('registers app: as standard, secure and fetch-capable', () => {
    registerAppScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
    ]);
  });

  it('serves the renderer through protocol.handle and can undo it', () => {
    const undo = serveRenderer(root);
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    undo();
    expect(electron.protocol.unhandle).toHaveBeenCalledWith('app');
  });
});
