import type { Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({ protocol: {} }));

const { hardenSession, hardenWebContents, isAllowedRequestUrl, isAppOrigin } = await import('../../../electron/main/hardening.js');

type Listener = (...args: unknown[]) => unknown;

function fakeEmitter() {
  const listeners = new Map<string, Listener[]>();
  return {
    listeners,
    on: vi.fn((event: string, listener: Listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), listener]);
    }),
    emit(event: string, ...args: unknown[]) {
      for (const listener of listeners.get(event) ?? []) listener(...args);
    },
  };
}

function navigationEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

describe('isAllowedRequestUrl', () => {
  it('lets the bundle and DevTools load', () => {
    expect(isAllowedRequestUrl('app://custos/index.html')).toBe(true);
    expect(isAllowedRequestUrl('app://custos/assets/app.js?v=1')).toBe(true);
    expect(isAllowedRequestUrl('devtools://devtools/bundled/devtools_app.html')).toBe(true);
  });

  it('refuses every network and file scheme', () => {
    for (const url of [
      'http://127.0.0.1:8080/',
      'https://example.org/upload',
      'ws://example.org/socket',
      'wss://example.org/socket',
      'ftp://example.org/file',
      'file:///etc/passwd',
      'file:///C:/Windows/win.ini',
      'chrome://settings',
      'chrome-extension://abc/page.html',
      'data:text/html,<img src=https://example.org/x>',
      'blob:https://example.org/1234',
      'javascript:alert(1)',
      'app://evil/index.html',
      'not a url',
      '',
    ]) {
      expect(isAllowedRequestUrl(url), url).toBe(false);
    }
  });
});

describe('isAppOrigin', () => {
  it('accepts only app://custos', () => {
    expect(isAppOrigin('app://custos/index.html#/cases')).toBe(true);
    expect(isAppOrigin('app://custosx/index.html')).toBe(false);
    expect(isAppOrigin('https://custos/')).toBe(false);
    expect(isAppOrigin('file:///work/dist/renderer/index.html')).toBe(false);
  });
});

describe('hardenWebContents', () => {
  function harden() {
    const emitter = fakeEmitter();
    const contents = { on: emitter.on, setWindowOpenHandler: vi.fn() };
    hardenWebContents(contents as unknown as WebContents);
    return { emitter, contents };
  }

  it('registers every navigation guard', () => {
    const { emitter, contents } = harden();
    expect([...emitter.listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce();
  });

  it('stops navigation and redirects away from app://custos', () => {
    const { emitter } = harden();
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      const away = navigationEvent('https://example.org/');
      emitter.emit(name, away);
      expect(away.preventDefault, name).toHaveBeenCalled();

      const file = navigationEvent('file:///etc/passwd');
      emitter.emit(name, file);
      expect(file.preventDefault, name).toHaveBeenCalled();

      const inside = navigationEvent('app://custos/index.html#/review');
      emitter.emit(name, inside);
      expect(inside.preventDefault, name).not.toHaveBeenCalled();
    }
  });

  it('refuses webviews and new windows', () => {
    const { emitter, contents } = harden();
    const attach = { preventDefault: vi.fn() };
    emitter.emit('will-attach-webview', attach, {}, {});
    expect(attach.preventDefault).toHaveBeenCalled();

    const handler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as (details: { url: string }) => unknown;
    expect(handler({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'app://custos/index.html' })).toEqual({ action: 'deny' });
  });
});

describe('hardenSession', () => {
  function fakeSession() {
    const emitter = fakeEmitter();
    const session = {
      on: emitter.on,
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
      setSpellCheckerEnabled: vi.fn(),
      webRequest: { onBeforeRequest: vi.fn() },
    };
    return { emitter, session };
  }

  it('denies every permission request and check', () => {
    const { session } = fakeSession();
    hardenSession(session as unknown as Session);

    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (c: unknown, p: string, cb: (ok: boolean) => void) => void;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'fullscreen', 'openExternal']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as (...args: unknown[]) => boolean;
    expect(check({}, 'media', 'app://custos', {})).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]?.[0] as (...args: unknown[]) => boolean;
    expect(device({ deviceType: 'usb', origin: 'app://custos' })).toBe(false);
    expect(session.setSpellCheckerEnabled).toHaveBeenCalledWith(false);
  });

  it('cancels every request that is not app: or devtools:', () => {
    const { session } = fakeSession();
    hardenSession(session as unknown as Session);
    const filter = session.webRequest.onBeforeRequest.mock.calls[0]?.[0] as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void;

    const decide = (url: string) => {
      const callback = vi.fn();
      filter({ url }, callback);
      return callback.mock.calls[0]?.[0];
    };
    expect(decide('https://example.org/')).toEqual({ cancel: true });
    expect(decide('file:///etc/passwd')).toEqual({ cancel: true });
    expect(decide('app://custos/index.html')).toEqual({ cancel: false });
    expect(decide('devtools://devtools/bundled/inspector.html')).toEqual({ cancel: false });
  });

  it('cancels downloads', () => {
    const { emitter, session } = fakeSession();
    hardenSession(session as unknown as Session);
    const event = { preventDefault: vi.fn() };
    const item = { cancel: vi.fn() };
    emitter.emit('will-download', event, item, {});
    expect(event.preventDefault).toHaveBeenCalled();
    expect(item.cancel).toHaveBeenCalled();
  });

  it('hardens a session once however often it is announced', () => {
    const { emitter, session } = fakeSession();
    hardenSession(session as unknown as Session);
    hardenSession(session as unknown as Session);
    expect(session.webRequest.onBeforeRequest).toHaveBeenCalledOnce();
    expect(emitter.listeners.get('will-download')).toHaveLength(1);
  });
});
