// A stand-in for the `electron` module, so the built main bundle can be loaded under plain Node: it records what
// main registers (IPC handlers, protocol handlers, window options, hardening hooks) for the tests to inspect.
type Handler = (...args: unknown[]) => unknown;

export const recorded = {
  invokeHandlers: new Map<string, Handler>(),
  sendHandlers: new Map<string, Handler>(),
  protocolHandlers: new Map<string, Handler>(),
  privilegedSchemes: [] as unknown[],
  windows: [] as FakeBrowserWindow[],
  permissionRequestHandler: null as Handler | null,
  permissionCheckHandler: null as Handler | null,
  sent: [] as unknown[][],
};

const listeners = new Map<string, Handler[]>();

export const app = {
  isPackaged: false,
  whenReady: () => Promise.resolve(),
  requestSingleInstanceLock: () => true,
  quit: () => undefined,
  getAppPath: () => process.cwd(),
  getPath: (name: string) => `${process.env.ANGIO_FAKE_USER_DATA ?? '/tmp/angio-fake-electron'}/${name}`,
  on: (event: string, handler: Handler) => listeners.set(event, [...(listeners.get(event) ?? []), handler]),
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
  },
};

class FakeWebContents {
  readonly events = new Map<string, Handler>();
  windowOpenHandler: Handler | null = null;
  on(event: string, handler: Handler) {
    this.events.set(event, handler);
    return this;
  }
  setWindowOpenHandler(handler: Handler) {
    this.windowOpenHandler = handler;
  }
  send(...args: unknown[]) {
    recorded.sent.push(args);
  }
}

export class FakeBrowserWindow {
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  constructor(options: Record<string, unknown>) {
    this.options = options;
    recorded.windows.push(this);
  }
  static getAllWindows() {
    return recorded.windows;
  }
  once() {
    return this;
  }
  show() {}
  focus() {}
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
}

export const BrowserWindow = FakeBrowserWindow;
export const contextBridge = { exposeInMainWorld: () => undefined };
export const ipcRenderer = {};
export default { app, ipcMain, protocol, session, BrowserWindow, contextBridge, ipcRenderer };
