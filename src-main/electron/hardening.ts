// Window and session hardening: the renderer is the app's own index.html and nothing else; navigation, new windows,
// webviews, permission requests and every request that is not the app's own files are refused; IPC is answered
// only for the app's top frame. Takes Electron objects as parameters, so only main.ts imports `electron`.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IpcMainEvent, IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { RENDERER_CSP } from './csp.ts';

export const RENDERER_ORIGIN = pathToFileURL(join(import.meta.dirname, '../renderer/')).href;
export const RENDERER_URL = `${RENDERER_ORIGIN}index.html`;

/** Schemes the renderer may request besides its own files: in-memory data, the pixel protocol, DevTools. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'angio:', 'devtools:']);

function withoutQueryAndHash(url: string): string | null {
  try {
    const parsed = new URL(url);
    parsed.hash = '';
    parsed.search = '';
    return parsed.href;
  } catch {
    return null;
  }
}

/** The one document the app shows (any #route or ?query on it). */
export function isRendererDocument(url: string): boolean {
  return withoutQueryAndHash(url) === RENDERER_URL;
}

/** A request the renderer may make: its own built files or a local scheme; never the network or other files. */
export function isAllowedRequest(url: string): boolean {
  const clean = withoutQueryAndHash(url);
  if (clean === null) return false;
  const scheme = new URL(clean).protocol;
  if (LOCAL_SCHEMES.has(scheme)) return true;
  return scheme === 'file:' && clean.startsWith(RENDERER_ORIGIN) && !clean.slice(RENDERER_ORIGIN.length).split('/').includes('..');
}

type SenderFrame = { url: string; parent: unknown } | null | undefined;

/** IPC is answered only for the top frame showing the app's index.html: not a subframe, not another file. */
export function isTrustedFrame(frame: SenderFrame): boolean {
  return frame != null && frame.parent === null && isRendererDocument(frame.url);
}

export function isTrustedSender(event: Pick<IpcMainEvent | IpcMainInvokeEvent, 'senderFrame'>): boolean {
  return isTrustedFrame(event.senderFrame as SenderFrame);
}

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

/** Applied to every webContents the app ever creates (app 'web-contents-created'), not only the main window. */
export function hardenWebContents(contents: WebContents, log: Log): void {
  contents.on('will-navigate', (event, url) => {
    if (isRendererDocument(url)) return;
    event.preventDefault();
    log('warn', `blocked navigation to ${url}`);
  });
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame && isRendererDocument(event.url)) return;
    event.preventDefault();
    log('warn', `blocked frame navigation to ${event.url}`);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log('warn', `blocked redirect to ${url}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    log('warn', `blocked window.open(${url})`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Session-wide: deny every permission, refuse every request that is not the app's own, send the CSP header. */
export function hardenSession(session: Session, log: Log): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log('warn', `denied permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // Spell-checking would download dictionaries from a Google CDN: no outbound connection is the rule.
  session.setSpellCheckerEnabled(false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isAllowedRequest(details.url);
    if (!allowed) log('warn', `blocked request to ${details.url}`);
    callback({ cancel: !allowed });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [RENDERER_CSP] } });
  });
}
