// Deny by default: the page may show our bundle and talk to the engine, nothing else. Each
// guard here closes a way for evidence or a request to leave the machine, or for foreign
// content to get a privileged page.
import type { Session, WebContents } from 'electron';
import { APP_HOST, APP_SCHEME } from './protocol.js';

/** Navigation stays on app://custos/; anything else would load content we did not ship. */
export function isAppOrigin(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/**
 * The session's network filter. Only our bundle and the DevTools front end (development
 * builds only) may load. data: and blob: URLs never reach webRequest in Chromium, so the
 * CSP's img-src data:/blob: is unaffected; they are refused here for completeness.
 */
export function isAllowedRequestUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === `${APP_SCHEME}:`) return parsed.host === APP_HOST;
  return parsed.protocol === 'devtools:';
}

type NavigationEvent = { readonly url: string; preventDefault(): void };

function keepOnAppOrigin(event: NavigationEvent): void {
  if (!isAppOrigin(event.url)) event.preventDefault();
}

export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', keepOnAppOrigin);
  contents.on('will-frame-navigate', keepOnAppOrigin);
  contents.on('will-redirect', keepOnAppOrigin);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

const hardenedSessions = new WeakSet<Session>();

/** Idempotent: the default session is hardened at ready and may also be announced by 'session-created'. */
export function hardenSession(session: Session): void {
  if (hardenedSessions.has(session)) return;
  hardenedSessions.add(session);
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isAllowedRequestUrl(details.url) }));
  session.on('will-download', (event, item) => {
    event.preventDefault();
    item.cancel();
  });
  // The spell checker fetches dictionaries from a Google CDN on its own.
  session.setSpellCheckerEnabled(false);
}
