// The handlers one capability contributes, typed from its own channel tables (src-preload/channels/<capability>.ts).
// app/handlers.ts merges the slices into the full Handlers type, so a channel without a handler fails type-checking.
import type { InvokeHandlers, PixelHandlers, SendHandlers } from '../ipc/index.ts';

export interface HandlerSlice<Invokes extends object, Sends extends object = {}, Pixels extends object = {}> {
  invoke: Pick<InvokeHandlers, Extract<keyof Invokes, keyof InvokeHandlers>>;
  send: Pick<SendHandlers, Extract<keyof Sends, keyof SendHandlers>>;
  pixels: Pick<PixelHandlers, Extract<keyof Pixels, keyof PixelHandlers>>;
}
