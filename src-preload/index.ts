// Electron preload (sandboxed, CommonJS): exposes exactly the contract's API on window.angio and nothing else.
// It must require only `electron`; zod and the contract are bundled in (checked by e2e/build-guards.test.ts).
import { contextBridge, ipcRenderer } from 'electron';
import { API_GLOBAL, createAngioApi, type AngioTransport } from './api.ts';
import { IPC_EVENT, IPC_INVOKE, IPC_SEND, PIXEL_SCHEME, pixelUrl } from './ipc-names.ts';

const transport: AngioTransport = {
  invoke: (channel, input) => ipcRenderer.invoke(IPC_INVOKE, channel, input),
  send: (channel, payload) => ipcRenderer.send(IPC_SEND, channel, payload),
  subscribe(listener) {
    const relay = (_event: unknown, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(IPC_EVENT, relay);
    return () => ipcRenderer.removeListener(IPC_EVENT, relay);
  },
  async pixels(route, params) {
    // The custom protocol streams raw bytes; errors come back as a JSON error body with a non-200 status.
    const response = await fetch(pixelUrl(PIXEL_SCHEME + '://pixels', route, params));
    if (!response.ok) return { ok: false, error: await response.json() };
    return { ok: true, value: await response.arrayBuffer() };
  },
};

contextBridge.exposeInMainWorld(API_GLOBAL, createAngioApi(transport));
