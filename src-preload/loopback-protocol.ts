// Messages on the loopback harness's WebSocket, declared once for both ends: the browser-side bridge
// (harness-bridge.ts) and main's loopback host. Text frames carry JSON; a pixel answer is a binary frame
// [u32 LE request id][pixel frame] (see pixel-frame.ts), so pixels never pass through JSON.
import type { Result } from './contract-base.ts';

export type ClientMessage =
  | { type: 'invoke'; id: number; channel: string; input: unknown }
  | { type: 'send'; channel: string; payload: unknown }
  | { type: 'pixels'; id: number; route: string; params: unknown };

export type ServerMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: string; payload: unknown };

/** The request id a main-side refusal of an unreadable message carries: no request of the bridge has it. */
export const UNKNOWN_REQUEST_ID = -1;

/** Returns null for anything that is not a well-formed client message; the host answers that with an error. */
export function parseClientMessage(text: string): ClientMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const message = value as Record<string, unknown>;
  const id = message.id;
  const validId = typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < 2 ** 32;
  if (message.type === 'invoke' && validId && typeof message.channel === 'string') {
    return { type: 'invoke', id: id as number, channel: message.channel, input: message.input };
  }
  if (message.type === 'send' && typeof message.channel === 'string') {
    return { type: 'send', channel: message.channel, payload: message.payload };
  }
  if (message.type === 'pixels' && validId && typeof message.route === 'string') {
    return { type: 'pixels', id: id as number, route: message.route, params: message.params };
  }
  return null;
}

/** Main's side: the text frame for a server message. */
export function encodeServerMessage(message: ServerMessage): string {
  return JSON.stringify(message);
}

/** The bridge's side: main is trusted to send only ServerMessages (it builds them with encodeServerMessage). */
export function decodeServerMessage(text: string): ServerMessage {
  return JSON.parse(text) as ServerMessage;
}

/** The bridge's side: the text frame for a client message. */
export function encodeClientMessage(message: ClientMessage): string {
  return JSON.stringify(message);
}

/** Main's side: a binary pixel answer, the request id in front of the encoded pixel frame. */
export function encodePixelAnswer(id: number, frame: Uint8Array): Uint8Array<ArrayBuffer> {
  const packet = new Uint8Array(4 + frame.byteLength);
  new DataView(packet.buffer).setUint32(0, id, true);
  packet.set(frame, 4);
  return packet;
}

/** The bridge's side: which request a binary pixel answer settles, and its pixel frame. */
export function decodePixelAnswer(packet: ArrayBuffer): { id: number; frame: ArrayBuffer } {
  return { id: new DataView(packet).getUint32(0, true), frame: packet.slice(4) };
}
