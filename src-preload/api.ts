// Derives the renderer-facing API from the contract over any transport (Electron IPC or the harness WebSocket).
// Only contract channels exist on it; events are validated here, in the renderer, before listeners see them.
import { decodePixelFrame } from './pixel-frame.ts';
import {
  eventChannels,
  invokeChannels,
  pixelRoutes,
  sendChannels,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeInput,
  type InvokeOutput,
  type PixelMeta,
  type PixelParams,
  type PixelRoute,
  type Result,
  type SendChannel,
  type SendPayload,
} from './contract.ts';

/** What a host must carry: raw, untyped messages. Both hosts implement exactly this. */
export interface AngioTransport {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  send(channel: string, payload: unknown): void;
  /** Subscribe to every main → renderer event; returns an unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /** Fetch a binary pixel frame (see pixel-frame.ts); a failure comes back as an error Result. */
  pixels(route: string, params: unknown): Promise<Result<ArrayBuffer>>;
}

export type InvokeApi = { [K in InvokeChannel]: (input: InvokeInput<K>) => Promise<Result<InvokeOutput<K>>> };
export type SendApi = { [K in SendChannel]: (payload: SendPayload<K>) => void };
export type PixelApi = {
  [K in PixelRoute]: (params: PixelParams<K>) => Promise<Result<{ meta: PixelMeta<K>; data: ArrayBuffer }>>;
};

export interface AngioApi {
  invoke: InvokeApi;
  send: SendApi;
  pixels: PixelApi;
  on<K extends EventChannel>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
}

export function createAngioApi(transport: AngioTransport): AngioApi {
  const invoke = Object.fromEntries(
    Object.keys(invokeChannels).map((channel) => [channel, (input: unknown) => transport.invoke(channel, input)]),
  ) as unknown as InvokeApi;

  const send = Object.fromEntries(
    Object.keys(sendChannels).map((channel) => [channel, (payload: unknown) => transport.send(channel, payload)]),
  ) as unknown as SendApi;

  const pixels = Object.fromEntries(
    Object.keys(pixelRoutes).map((route) => [
      route,
      async (params: unknown) => {
        const answer = await transport.pixels(route, params);
        if (!answer.ok) return answer;
        const frame = decodePixelFrame(answer.value);
        const meta = pixelRoutes[route as PixelRoute].meta.safeParse(frame.meta);
        if (!meta.success) {
          return { ok: false, error: { code: 'invalid-output', message: `pixel meta for ${route} is malformed` } };
        }
        return { ok: true, value: { meta: meta.data, data: frame.data } };
      },
    ]),
  ) as unknown as PixelApi;

  function on<K extends EventChannel>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
    const schema = eventChannels[event];
    if (!schema) throw new Error(`unknown event channel: ${String(event)}`);
    return transport.subscribe((name, payload) => {
      if (name !== event) return;
      const parsed = schema.safeParse(payload);
      if (parsed.success) listener(parsed.data as EventPayload<K>);
      else console.warn(`dropped malformed ${event} event`, parsed.error.issues);
    });
  }

  return { invoke, send, pixels, on };
}

/** The global the renderer reads; set by the Electron preload or by the harness bridge. */
export const API_GLOBAL = 'angio';
