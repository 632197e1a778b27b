// Browser-side half of the loopback harness: defines window.angio with the same derived API as the Electron
// preload, carried over a WebSocket to the main services. Built as a classic script (out/harness/bridge.js).
import { API_GLOBAL, createAngioApi, type AngioTransport } from './api.ts';
import type { Result } from './contract-base.ts';
import { decodePixelAnswer, decodeServerMessage, encodeClientMessage, type ClientMessage } from './loopback-protocol.ts';

type Pending = (result: Result<unknown>) => void;

function connect(): AngioTransport {
  const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ipc`);
  socket.binaryType = 'arraybuffer';
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('harness connection failed')), { once: true });
  });
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let nextId = 1;

  socket.addEventListener('message', (message) => {
    if (message.data instanceof ArrayBuffer) {
      const { id, frame } = decodePixelAnswer(message.data);
      pending.get(id)?.({ ok: true, value: frame });
      pending.delete(id);
      return;
    }
    const parsed = decodeServerMessage(String(message.data));
    if (parsed.type === 'event') {
      for (const listener of listeners) listener(parsed.event, parsed.payload);
    } else {
      pending.get(parsed.id)?.(parsed.result);
      pending.delete(parsed.id);
    }
  });
  socket.addEventListener('close', () => {
    for (const settle of pending.values()) settle({ ok: false, error: { code: 'disconnected', message: 'The connection to the app services closed. Reload the page.' } });
    pending.clear();
  });

  /** A client message that expects an answer, before it is given its id. */
  type Request = Omit<Extract<ClientMessage, { type: 'invoke' }>, 'id'> | Omit<Extract<ClientMessage, { type: 'pixels' }>, 'id'>;
  async function request(message: Request): Promise<Result<unknown>> {
    await opened;
    const id = nextId++;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(encodeClientMessage({ ...message, id } as ClientMessage));
    });
  }

  return {
    invoke: (channel, input) => request({ type: 'invoke', channel, input }),
    send: (channel, payload) => void opened.then(() => socket.send(encodeClientMessage({ type: 'send', channel, payload }))),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pixels: (route, params) => request({ type: 'pixels', route, params }) as Promise<Result<ArrayBuffer>>,
  };
}

Object.defineProperty(window, API_GLOBAL, { value: createAngioApi(connect()), writable: false, configurable: false });
