// Window hardening: the renderer is loaded from the app's own files only; navigation, new windows and permission
// requests are refused; IPC is answered only for the app's own top frame.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { session, type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';

export const RENDERER_ORIGIN = pathToFileURL(join(import.meta.dirname, '../renderer/')).href;

export function isTrustedSender(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return event.senderFrame?.parent === null && url.startsWith(RENDERER_ORIGIN);
}

export function hardenWindow(window: BrowserWindow): void {
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(RENDERER_ORIGIN)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
}
