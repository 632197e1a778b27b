// Messages on the harness WebSocket. Text frames carry JSON; a pixel answer is a binary frame
// [u32 LE request id][pixel frame] (see src-preload/pixel-frame.ts).
import type { Result } from '../../src-preload/contract.ts';

export type ClientMessage =
  | { type: 'invoke'; id: number; channel: string; input: unknown }
  | { type: 'send'; channel: string; payload: unknown }
  | { type: 'pixels'; id: number; route: string; params: unknown };

export type ServerMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; event: string; payload: unknown };

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
