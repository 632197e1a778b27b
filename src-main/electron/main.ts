// The Electron entry: only wiring. It builds the same services the loopback harness hosts, connects them to
// windows through the contract's IPC names, and applies the desktop shell's rules (single instance, hardening,
// remembered window, menu, about box, rotating log). Nothing else imports `electron` at run time.
import { release } from 'node:os';
import { join } from 'node:path';
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, protocol, safeStorage, screen, session, shell, utilityProcess, type IpcMainEvent, type IpcMainInvokeEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, IPC_SEND, PIXEL_SCHEME } from '../../src-preload/ipc-names.ts';
import { closeAppContext, createAppContext, type LogLevel, openAppLog, projectRoot, sharedDataDir, uncaughtMessage } from '../app/index.ts';
import { composeHandlers } from '../app/handlers.ts';
import { createIpcRegistry, type CallContext } from '../ipc/index.ts';
import { OpenRequestInbox, readSystemInfo } from '../system/index.ts';
import { aboutBox } from './about.ts';
import { appMenuTemplate } from './app-menu.ts';
import { dicomPathsFromArgv, resolveAppLocations, userDataOverride, type AppLocations } from './app-locations.ts';
import { hardenSession, hardenWebContents, isTrustedSender, RENDERER_URL } from './hardening.ts';
import { pixelProtocolHandler } from './pixel-protocol.ts';
import { utilityProcessLauncher } from './utility-launcher.ts';
import { osVaultKeyHolder } from './vault-key.ts';
import { loadWindowState, MIN_SIZE, trackWindowState, WINDOW_STATE_FILE } from './window-state.ts';

type Log = (level: LogLevel, message: string) => void;

protocol.registerSchemesAsPrivileged([
  { scheme: PIXEL_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
]);
app.enableSandbox();
const userData = userDataOverride(process.env);
if (userData) app.setPath('userData', userData);

if (!app.requestSingleInstanceLock()) {
  // Another instance owns the catalog; it gets our argv through 'second-instance' and comes to the front.
  app.quit();
} else {
  startShell();
}

function startShell(): void {
  const warnings: string[] = [];
  const locations = resolveAppLocations(app.getPath('userData'), process.env, (message) => warnings.push(message));
  const appRoot = app.isPackaged ? app.getAppPath() : projectRoot(app.getAppPath());
  const logFile = openAppLog({ dir: locations.logDir, ownFolders: [locations.dataDir, locations.userDataDir, locations.logDir, appRoot, process.resourcesPath], echo: !app.isPackaged });
  const log: Log = logFile.log;
  log('info', `${app.getName()} ${app.getVersion()} starting; Electron ${process.versions.electron}, data ${locations.dataDir} (${locations.dataDirSource})`);
  for (const warning of warnings) log('warn', warning);
  process.on('uncaughtExceptionMonitor', (error) => log('error', uncaughtMessage('uncaught', error)));
  process.on('unhandledRejection', (reason) => log('error', uncaughtMessage('unhandled rejection', reason)));

  const openRequests = new OpenRequestInbox();
  openRequests.push(dicomPathsFromArgv(process.argv));
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openRequests.push([path]);
    log('info', 'asked to open a file (its name is not logged: file names can name a patient)');
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
  app.on('render-process-gone', (_event, _contents, details) => log('error', `renderer gone: ${details.reason} (exit code ${details.exitCode})`));
  app.on('child-process-gone', (_event, details) => log('error', `${details.type} process ${details.name ?? ''} gone: ${details.reason} (exit code ${details.exitCode})`));

  void app.whenReady().then(() => onReady(locations, logFile.file, log, openRequests));
}

function onReady(locations: AppLocations, logFile: string, log: Log, openRequests: OpenRequestInbox): void {
  hardenSession(session.defaultSession, log);
  // Packaged: app.asar (Electron reads package.json from it and loads the addon from app.asar.unpacked).
  const appRoot = app.isPackaged ? app.getAppPath() : projectRoot(app.getAppPath());
  const ctx = createAppContext({ appRoot, dataDir: locations.dataDir, sharedDataDir: sharedDataDir(), host: 'electron', log, vaultKeyHolder: osVaultKeyHolder(safeStorage, log), launchProcess: utilityProcessLauncher(utilityProcess.fork) });
  const registry = createIpcRegistry(composeHandlers(ctx));
  // From now on the context keeps them and tells the renderer (system.openFiles, system.openRequests).
  openRequests.connect(ctx.openRequests);
  const callContext = (event: IpcMainEvent | IpcMainInvokeEvent): CallContext => ({ host: 'electron', origin: event.senderFrame?.url ?? '' });
  const forbidden = { ok: false, error: { code: 'forbidden', message: 'IPC from an untrusted frame was refused' } } as const;

  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, input: unknown) => {
    if (isTrustedSender(event)) return registry.invoke(channel, input, callContext(event));
    log('warn', `refused invoke ${String(channel)} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
    return forbidden;
  });
  ipcMain.on(IPC_SEND, (event, channel: unknown, payload: unknown) => {
    if (!isTrustedSender(event)) return log('warn', `refused send ${String(channel)} from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
    const result = registry.send(channel, payload, callContext(event));
    if (!result.ok) log('warn', `refused ${String(channel)}: ${result.error.message}`);
  });
  protocol.handle(PIXEL_SCHEME, pixelProtocolHandler(registry));
  ctx.bus.subscribe((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT, event, payload);
  });

  const showAbout = async () => {
    const info = readSystemInfo(ctx);
    const box = aboutBox({
      productName: info.appName,
      appVersion: info.appVersion,
      versions: process.versions,
      addon: info.addon.loaded ? { loaded: true, version: info.addon.version ?? '?' } : { loaded: false, error: info.addon.error ?? 'unknown' },
      platform: `${info.platform} (${release()})`,
      dataDir: ctx.dataDir,
      logFile,
    });
    const parent = BrowserWindow.getFocusedWindow();
    const { response } = await (parent ? dialog.showMessageBox(parent, box) : dialog.showMessageBox(box));
    if (response === 1) clipboard.writeText(box.detail ?? '');
  };
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(
        { platform: process.platform, productName: app.getName(), packaged: app.isPackaged },
        { showAbout: () => void showAbout(), openLogFolder: () => void shell.openPath(locations.logDir) },
      ),
    ),
  );

  const createWindow = () => {
    const stateFile = join(locations.userDataDir, WINDOW_STATE_FILE);
    const primary = screen.getPrimaryDisplay();
    const displays = [primary, ...screen.getAllDisplays().filter((display) => display.id !== primary.id)];
    const state = loadWindowState(stateFile, displays.map((display) => display.workArea));
    const window = new BrowserWindow({
      ...state.bounds,
      minWidth: MIN_SIZE.width,
      minHeight: MIN_SIZE.height,
      backgroundColor: '#111418',
      show: false,
      ...(process.platform === 'linux' ? { icon: join(app.isPackaged ? process.resourcesPath : join(appRoot, 'resources'), 'icon.png') } : {}),
      webPreferences: {
        preload: join(import.meta.dirname, '../preload/index.cjs'),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
        navigateOnDragDrop: false,
        safeDialogs: true,
        devTools: !app.isPackaged,
      },
    });
    if (state.maximized) window.maximize();
    if (state.fullScreen) window.setFullScreen(true);
    trackWindowState(window, stateFile, (error) => log('warn', `could not save the window state: ${(error as Error).message}`));
    window.once('ready-to-show', () => window.show());
    void window.loadURL(RENDERER_URL);
  };
  createWindow();

  app.on('second-instance', (_event, argv) => {
    const window = BrowserWindow.getAllWindows()[0];
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
    const files = dicomPathsFromArgv(argv);
    openRequests.push(files);
    if (files.length > 0) log('info', `second launch asked to open ${files.length} file(s) (their names are not logged: file names can name a patient)`);
  });
  app.on('window-all-closed', () => app.quit());
  app.once('will-quit', () => {
    log('info', 'quitting');
    closeAppContext(ctx).catch((error: unknown) => log('error', `closing the catalog failed: ${(error as Error).message}`));
  });
}
