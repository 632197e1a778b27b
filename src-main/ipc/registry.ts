// Main's side of the contract: a handler for every channel (the type checker refuses a missing one),
// every inbound message validated, every failure answered as a typed error value, never a crash.
import type { ZodType, z } from 'zod';
import {
  invokeChannels,
  pixelRoutes,
  sendChannels,
  TransportErrorCode,
  type InvokeChannel,
  type IpcError,
  type InvokeOutput,
  type InvokeParsedInput,
  type PixelMeta,
  type PixelParams,
  type PixelRoute,
  type Result,
  type SendChannel,
  type SendPayload,
} from '../../src-preload/contract.ts';
import { issueDetails, toIpcError } from './app-error.ts';
import { plainIssues } from './plain-issues.ts';

/** Who is calling: hosts fill this in so handlers can audit and refuse. */
export interface CallContext {
  host: 'electron' | 'harness' | 'cli';
  origin: string;
}

export type InvokeHandlers = {
  [K in InvokeChannel]: (input: InvokeParsedInput<K>, ctx: CallContext) => Promise<InvokeOutput<K>> | InvokeOutput<K>;
};
export type SendHandlers = { [K in SendChannel]: (payload: SendPayload<K>, ctx: CallContext) => void };
export type PixelHandlers = {
  [K in PixelRoute]: (
    params: PixelParams<K>,
    ctx: CallContext,
  ) => Promise<{ meta: PixelMeta<K>; bytes: Uint8Array }> | { meta: PixelMeta<K>; bytes: Uint8Array };
};

export interface Handlers {
  invoke: InvokeHandlers;
  send: SendHandlers;
  pixels: PixelHandlers;
}

export interface IpcRegistry {
  invoke(channel: unknown, input: unknown, ctx: CallContext): Promise<Result<unknown>>;
  send(channel: unknown, payload: unknown, ctx: CallContext): Result<null>;
  pixels(route: unknown, params: unknown, ctx: CallContext): Promise<Result<{ meta: unknown; bytes: Uint8Array }>>;
  readonly invokeChannels: readonly string[];
  readonly pixelRoutes: readonly string[];
}

function fail(code: string, message: string, issues?: readonly z.core.$ZodIssue[]): { ok: false; error: IpcError } {
  return { ok: false, error: issues === undefined ? { code, message } : { code, message, details: issueDetails(issues) } };
}

function lookup<T>(table: Record<string, T>, name: unknown): T | undefined {
  return typeof name === 'string' && Object.hasOwn(table, name) ? table[name] : undefined;
}

/** People read refusals of invokes and pixel requests (the renderer shows them), so those are sentences naming
 * the field and what to do; a refused send is only logged, so it keeps the schema's own words. */
function validate(schema: ZodType, value: unknown, what: string, plain = true): Result<unknown> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const message = plain ? plainIssues(parsed.error.issues, value) : `Invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`;
  return fail(TransportErrorCode.invalidInput, message, parsed.error.issues);
}

export function createIpcRegistry(handlers: Handlers): IpcRegistry {
  const invokeTable = handlers.invoke as Record<string, (input: unknown, ctx: CallContext) => unknown>;
  const sendTable = handlers.send as Record<string, (payload: unknown, ctx: CallContext) => void>;
  const pixelTable = handlers.pixels as Record<string, (params: unknown, ctx: CallContext) => unknown>;

  return {
    invokeChannels: Object.keys(invokeChannels),
    pixelRoutes: Object.keys(pixelRoutes),

    async invoke(channel, input, ctx) {
      const spec = lookup(invokeChannels as Record<string, { input: ZodType; output: ZodType }>, channel);
      const handler = lookup(invokeTable, channel);
      if (!spec || !handler) return fail(TransportErrorCode.unknownChannel, `No such channel: ${String(channel)}`);
      const parsed = validate(spec.input, input ?? {}, `input for ${String(channel)}`);
      if (!parsed.ok) return parsed;
      try {
        const output = await handler(parsed.value, ctx);
        const checked = spec.output.safeParse(output);
        if (!checked.success) {
          return fail(TransportErrorCode.invalidOutput, `Main produced a malformed answer on ${String(channel)}`, checked.error.issues);
        }
        return { ok: true, value: checked.data };
      } catch (error) {
        return { ok: false, error: toIpcError(error) };
      }
    },

    send(channel, payload, ctx) {
      const schema = lookup(sendChannels as Record<string, ZodType>, channel);
      const handler = lookup(sendTable, channel);
      if (!schema || !handler) return fail(TransportErrorCode.unknownChannel, `No such channel: ${String(channel)}`);
      const parsed = validate(schema, payload, `message on ${String(channel)}`, false);
      if (!parsed.ok) return parsed;
      try {
        handler(parsed.value, ctx);
        return { ok: true, value: null };
      } catch (error) {
        return { ok: false, error: toIpcError(error) };
      }
    },

    async pixels(route, params, ctx) {
      const spec = lookup(pixelRoutes as Record<string, { params: ZodType; meta: ZodType }>, route);
      const handler = lookup(pixelTable, route);
      if (!spec || !handler) return fail(TransportErrorCode.unknownChannel, `No such pixel route: ${String(route)}`);
      const parsed = validate(spec.params, params, `parameters for ${String(route)}`);
      if (!parsed.ok) return parsed;
      try {
        const answer = (await handler(parsed.value, ctx)) as { meta: unknown; bytes: Uint8Array };
        // The renderer checks the meta too, but a malformed one is main's fault: say so here, as for invoke outputs.
        const meta = spec.meta.safeParse(answer.meta);
        if (!meta.success) {
          return fail(TransportErrorCode.invalidOutput, `Main produced a malformed pixel meta on ${String(route)}`, meta.error.issues);
        }
        return { ok: true, value: { meta: meta.data, bytes: answer.bytes } };
      } catch (error) {
        return { ok: false, error: toIpcError(error) };
      }
    },
  };
}
