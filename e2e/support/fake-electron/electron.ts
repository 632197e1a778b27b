// A stand-in for the `electron` module, so the built main bundle can be loaded under plain Node: it records what
// main registers (IPC and protocol handlers, window options, hardening hooks, menu, dialogs) and lets a test play
// the parts Electron would (app events, window moves, a second launch, utility processes via child_process.fork).
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Handler = (...args: unknown[]) => unknown;
interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function freshRecord() {
  return {
    invokeHandlers: new Map<string, Handler>(),
    sendHandlers: new Map<string, Handler>(),
    protocolHandlers: new Map<string, Handler>(),
    privilegedSchemes: [] as unknown[],
    windows: [] as FakeBrowserWindow[],
    permissionRequestHandler: null as Handler | null,
    permissionCheckHandler: null as Handler | null,
    devicePermissionHandler: null as Handler | null,
    beforeRequest: null as Handler | null,
    headersReceived: null as Handler | null,
    spellCheckerEnabled: null as boolean | null,
    sandboxEnabled: false,
    quitCalls: 0,
    setPaths: new Map<string, string>(),
    applicationMenu: null as { template: Record<string, unknown>[] } | null,
    messageBoxes: [] as Record<string, unknown>[],
    clipboard: null as string | null,
    openedPaths: [] as string[],
    utilityProcesses: [] as FakeUtilityProcess[],
    sent: [] as unknown[][],
  };
}

const defaultConfig = () => ({
  singleInstanceLock: true,
  isPackaged: false,
  displays: [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } as Rect }],
  messageBoxResponse: 0,
  root: process.env.ANGIO_FAKE_USER_DATA ?? mkdtempSync(join(tmpdir(), 'angio-fake-electron-')),
});
/** What the test can set before (re)loading the main bundle. */
export const fakeConfig = defaultConfig();
// Electron defines process.resourcesPath (the folder holding app.asar); a packaged launch reads it.
(process as { resourcesPath?: string }).resourcesPath ??= join(fakeConfig.root, 'resources');

export const recorded = freshRecord();
const appListeners = new Map<string, Handler[]>();

/** Forget everything main registered, as if Electron started afresh (the next launch re-imports the bundle). */
export function resetFake(config: Partial<typeof fakeConfig> = {}): void {
  Object.assign(recorded, freshRecord());
  appListeners.clear();
  Object.assign(fakeConfig, defaultConfig(), config);
}

/** Plays an app event (second-instance, web-contents-created, open-file, will-quit…) to main's listeners. */
export function emitApp(event: string, ...args: unknown[]): void {
  for (const listener of appListeners.get(event) ?? []) listener(...args);
}

/** An Electron-style event object whose preventDefault a test can observe. */
export function fakeEvent<T extends object>(fields: T = {} as T): T & { defaultPrevented: boolean; preventDefault(): void } {
  return { ...fields, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}

const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { productName: string; version: string };

export const app = {
  get isPackaged() {
    return fakeConfig.isPackaged;
  },
  whenReady: () => Promise.resolve(),
  requestSingleInstanceLock: () => fakeConfig.singleInstanceLock,
  quit: () => void recorded.quitCalls++,
  enableSandbox: () => void (recorded.sandboxEnabled = true),
  getAppPath: () => process.cwd(),
  getName: () => packageJson.productName,
  getVersion: () => packageJson.version,
  setPath: (name: string, path: string) => void recorded.setPaths.set(name, path),
  getPath: (name: string) => recorded.setPaths.get(name) ?? join(fakeConfig.root, name),
  on: (event: string, handler: Handler) => void appListeners.set(event, [...(appListeners.get(event) ?? []), handler]),
  once: (event: string, handler: Handler) => {
    const wrapped: Handler = (...args) => {
      appListeners.set(event, (appListeners.get(event) ?? []).filter((listener) => listener !== wrapped));
      return handler(...args);
    };
    app.on(event, wrapped);
  },
};

export const ipcMain = {
  handle: (channel: string, handler: Handler) => recorded.invokeHandlers.set(channel, handler),
  on: (channel: string, handler: Handler) => recorded.sendHandlers.set(channel, handler),
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => recorded.privilegedSchemes.push(...schemes),
  handle: (scheme: string, handler: Handler) => recorded.protocolHandlers.set(scheme, handler),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler: Handler) => (recorded.permissionRequestHandler = handler),
    setPermissionCheckHandler: (handler: Handler) => (recorded.permissionCheckHandler = handler),
    setDevicePermissionHandler: (handler: Handler) => (recorded.devicePermissionHandler = handler),
    setSpellCheckerEnabled: (enabled: boolean) => (recorded.spellCheckerEnabled = enabled),
    webRequest: {
      onBeforeRequest: (handler: Handler) => (recorded.beforeRequest = handler),
      onHeadersReceived: (handler: Handler) => (recorded.headersReceived = handler),
    },
  },
};

export class FakeWebContents {
  readonly events = new Map<string, Handler>();
  readonly listeners = new Map<string, Handler[]>();
  windowOpenHandler: Handler | null = null;
  on(event: string, handler: Handler) {
    this.events.set(event, handler);
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), handler]);
    return this;
  }
  /** Plays a webContents event to every listener main attached. */
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args);
  }
  setWindowOpenHandler(handler: Handler) {
    this.windowOpenHandler = handler;
  }
  send(...args: unknown[]) {
    recorded.sent.push(args);
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  bounds: Rect;
  maximized = false;
  fullScreen = false;
  minimized = false;
  focused = false;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    this.bounds = { x: Number(options.x ?? 0), y: Number(options.y ?? 0), width: Number(options.width ?? 800), height: Number(options.height ?? 600) };
    recorded.windows.push(this);
    emitApp('web-contents-created', fakeEvent(), this.webContents);
  }
  static getAllWindows() {
    return recorded.windows;
  }
  static getFocusedWindow() {
    return recorded.windows.find((window) => window.focused) ?? null;
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  getBounds() {
    return { ...this.bounds };
  }
  setBounds(bounds: Partial<Rect>) {
    this.bounds = { ...this.bounds, ...bounds };
    this.emit('move');
    this.emit('resize');
  }
  isMaximized() {
    return this.maximized;
  }
  maximize() {
    this.maximized = true;
    this.emit('maximize');
  }
  isFullScreen() {
    return this.fullScreen;
  }
  setFullScreen(value: boolean) {
    this.fullScreen = value;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  show() {}
  focus() {
    this.focused = true;
  }
  close() {
    this.emit('close', fakeEvent());
    this.emit('closed');
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
}

export const Menu = {
  buildFromTemplate: (template: Record<string, unknown>[]) => ({ template }),
  setApplicationMenu: (menu: { template: Record<string, unknown>[] } | null) => (recorded.applicationMenu = menu),
};

export const dialog = {
  showMessageBox: (...args: unknown[]) => {
    recorded.messageBoxes.push(args[args.length - 1] as Record<string, unknown>);
    return Promise.resolve({ response: fakeConfig.messageBoxResponse, checkboxChecked: false });
  },
};

export const clipboard = { writeText: (text: string) => void (recorded.clipboard = text) };
export const shell = { openPath: (path: string) => (recorded.openedPaths.push(path), Promise.resolve('')) };
export const screen = {
  getPrimaryDisplay: () => fakeConfig.displays[0],
  getAllDisplays: () => fakeConfig.displays,
};

/** Electron's utility process, played by a Node child process (the worker side falls back to process.send). */
export class FakeUtilityProcess extends EventEmitter {
  readonly child;
  readonly options: Record<string, unknown>;
  constructor(entry: string, args: string[], options: Record<string, unknown>) {
    super();
    this.options = options;
    // Like Electron: `env` replaces the environment, and its absence means this process's.
    const env = (options.env as NodeJS.ProcessEnv | undefined) ?? process.env;
    this.child = fork(entry, args, { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env });
    this.child.on('message', (message) => this.emit('message', message));
    // Like Electron: one exit code, non-zero for a crash (128 + signal number for a signal).
    this.child.on('exit', (code, signal) => this.emit('exit', code ?? 128 + (signal ? (({ SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 }) as Record<string, number>)[signal] ?? 1 : 1)));
    recorded.utilityProcesses.push(this);
  }
  get pid() {
    return this.child.pid;
  }
  postMessage(message: unknown) {
    this.child.send(message as never);
  }
  kill() {
    return this.child.kill('SIGKILL');
  }
}

export const utilityProcess = {
  fork: (entry: string, args: string[] = [], options: Record<string, unknown> = {}) => new FakeUtilityProcess(entry, args, options),
};

/** As on a Linux machine with no key store: the app keeps its vault key in a key file instead. */
export const safeStorage = {
  isEncryptionAvailable: () => false,
  encryptString: (): Buffer => {
    throw new Error('encryption is not available');
  },
  decryptString: (): string => {
    throw new Error('encryption is not available');
  },
  getSelectedStorageBackend: () => 'basic_text',
};
export const BrowserWindow = FakeBrowserWindow;
export const contextBridge = { exposeInMainWorld: () => undefined };
export const ipcRenderer = {};
export default { app, ipcMain, protocol, safeStorage, session, BrowserWindow, Menu, dialog, clipboard, shell, screen, utilityProcess, contextBridge, ipcRenderer };
