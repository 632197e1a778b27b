// The Electron entry: only wiring. It builds the same services the loopback harness hosts, connects them to
// windows through the contract's IPC names, and hardens the window. Nothing else imports `electron`.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, IPC_SEND, PIXEL_SCHEME } from '../../src-preload/ipc-names.ts';
import { closeAppContext, createAppContext } from '../app/context.ts';
import { composeHandlers } from '../app/handlers.ts';
import { projectRoot, sharedDataDir } from '../app/paths.ts';
import { createIpcRegistry, type CallContext } from '../ipc/registry.ts';
import { hardenWindow, isTrustedSender, RENDERER_ORIGIN } from './hardening.ts';
import { pixelProtocolHandler } from './pixel-protocol.ts';

protocol.registerSchemesAsPrivileged([
  { scheme: PIXEL_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);

if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  const appRoot = app.isPackaged ? join(process.resourcesPath, 'app.asar.unpacked') : projectRoot(app.getAppPath());
  const ctx = createAppContext({
    appRoot,
    dataDir: process.env.ANGIO_DATA_DIR ?? join(app.getPath('userData'), 'data'),
    sharedDataDir: sharedDataDir(),
    host: 'electron',
  });
  const registry = createIpcRegistry(composeHandlers(ctx));
  const callContext = (event: IpcMainEvent | IpcMainInvokeEvent): CallContext => ({ host: 'electron', origin: event.senderFrame?.url ?? '' });
  const forbidden = { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame was refused' } } as const;

  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, input: unknown) =>
    isTrustedSender(event) ? registry.invoke(channel, input, callContext(event)) : forbidden,
  );
  ipcMain.on(IPC_SEND, (event, channel: unknown, payload: unknown) => {
    if (!isTrustedSender(event)) return;
    const result = registry.send(channel, payload, callContext(event));
    if (!result.ok) ctx.log('warn', `refused ${String(channel)}: ${result.error.message}`);
  });
  protocol.handle(PIXEL_SCHEME, pixelProtocolHandler(registry));
  ctx.bus.subscribe((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT, event, payload);
  });

  const createWindow = () => {
    const window = new BrowserWindow({
      width: 1440,
      height: 900,
      backgroundColor: '#111418',
      show: false,
      webPreferences: {
        preload: join(import.meta.dirname, '../preload/index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
      },
    });
    hardenWindow(window);
    window.once('ready-to-show', () => window.show());
    void window.loadURL(`${RENDERER_ORIGIN}index.html`);
  };
  createWindow();
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => void closeAppContext(ctx));
});
