// A stand-in for main behind the renderer's typed API, for store tests. The test answers the channels it needs;
// every input a store sends and every answer the test gives is checked against the contract's zod schemas, so a
// store that sends what main would refuse, or a fake answer main could never give, fails the test instead of
// passing on a shape that does not exist. The API itself is the real one (createAngioApi) over a fake transport,
// so events are validated and pixel frames decoded exactly as in the app.
import type { z } from 'zod';
import { createAngioApi, type AngioApi, type AngioTransport } from '../../../src-preload/api.ts';
import {
  eventChannels,
  invokeChannels,
  pixelRoutes,
  sendChannels,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeOutput,
  type InvokeParsedInput,
  type IpcError,
  type PixelMeta,
  type PixelParams,
  type PixelRoute,
  type Result,
  type SendChannel,
} from '../../../src-preload/contract.ts';
import { encodePixelFrame } from '../../../src-preload/pixel-frame.ts';

/** An error answer, as main gives one (`{ ok: false, error }`): return it from a handler. */
export class Failure {
  readonly error: IpcError;
  constructor(code: string, message: string) {
    this.error = { code, message };
  }
}

export const fail = (code: string, message: string): Failure => new Failure(code, message);

type Answer<T> = T | Failure | Promise<T | Failure>;
export type InvokeHandler<K extends InvokeChannel> = (input: InvokeParsedInput<K>) => Answer<InvokeOutput<K>>;
export interface PixelAnswer<K extends PixelRoute> {
  meta: PixelMeta<K>;
  data: ArrayBuffer | ArrayBufferView;
}
export type PixelHandler<K extends PixelRoute> = (params: PixelParams<K>) => Answer<PixelAnswer<K>>;

/** Thrown (and recorded in `violations`) when a store or a test steps outside the contract. */
export class ContractViolation extends Error {}

export interface Call {
  channel: string;
  input: unknown;
}

export interface FakeApi {
  /** The API to hand to a store, exactly what window.angio holds in the app. */
  readonly api: AngioApi;
  /** Every invoke and pixel request, in order, with the input as the store sent it. */
  readonly calls: Call[];
  /** Every one-way send, in order. */
  readonly sent: Call[];
  /** Every contract violation seen, even ones a store swallowed in a promise nobody awaited. */
  readonly violations: string[];
  /** Answers `channel` with `handler` from now on (replacing an earlier one). */
  handle<K extends InvokeChannel>(channel: K, handler: InvokeHandler<K>): FakeApi;
  /** Answers the pixel route `route` with `handler` from now on. */
  pixels<K extends PixelRoute>(route: K, handler: PixelHandler<K>): FakeApi;
  /** Delivers an event to the store's listeners, after checking it against the event's schema. */
  emit<K extends EventChannel>(event: K, payload: EventPayload<K>): void;
  /** The inputs of every call to `channel` (an invoke channel or a pixel route), in order. */
  inputsOf(channel: InvokeChannel | PixelRoute): unknown[];
  /** How many listeners are subscribed now (for checking that a store unsubscribes). */
  listenerCount(): number;
}

function check(schema: z.ZodType, value: unknown, what: string, violations: string[]): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const message = `${what} breaks the contract: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`;
  violations.push(message);
  throw new ContractViolation(message);
}

/** The test's answer for `name`; a call the test did not answer is a violation (`how` names the method that answers it). */
function handlerFor<H>(handlers: Map<string, H>, name: string, how: 'handle' | 'pixels', violations: string[]): H {
  const handler = handlers.get(name);
  if (handler) return handler;
  const message = `the test gave no answer for ${name} (fake.${how}('${name}', ...))`;
  violations.push(message);
  throw new ContractViolation(message);
}

/** Copies a value the way IPC does (structured clone), so a store never shares objects with the test's handler. */
const overTheWire = <T>(value: T): T => structuredClone(value);

export function createFakeApi(): FakeApi {
  const invokeHandlers = new Map<string, (input: unknown) => Answer<unknown>>();
  const pixelHandlers = new Map<string, (params: unknown) => Answer<{ meta: unknown; data: ArrayBuffer | ArrayBufferView }>>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const calls: Call[] = [];
  const sent: Call[] = [];
  const violations: string[] = [];

  const transport: AngioTransport = {
    async invoke(channel, input): Promise<Result<unknown>> {
      calls.push({ channel, input: overTheWire(input) });
      const schemas = invokeChannels[channel as InvokeChannel];
      if (!schemas) throw new ContractViolation(`no invoke channel ${channel} in the contract`);
      const parsedInput = check(schemas.input, input, `the input to ${channel}`, violations);
      const answer = await handlerFor(invokeHandlers, channel, 'handle', violations)(parsedInput);
      if (answer instanceof Failure) return { ok: false, error: overTheWire(answer.error) };
      const output = check(schemas.output, answer, `the fake answer of ${channel}`, violations);
      return { ok: true, value: overTheWire(output) };
    },
    send(channel, payload) {
      sent.push({ channel, input: overTheWire(payload) });
      const schema = sendChannels[channel as SendChannel];
      if (!schema) throw new ContractViolation(`no send channel ${channel} in the contract`);
      check(schema, payload, `the payload sent on ${channel}`, violations);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async pixels(route, params): Promise<Result<ArrayBuffer>> {
      calls.push({ channel: route, input: overTheWire(params) });
      const schemas = pixelRoutes[route as PixelRoute];
      if (!schemas) throw new ContractViolation(`no pixel route ${route} in the contract`);
      const parsedParams = check(schemas.params, params, `the parameters of ${route}`, violations);
      const answer = await handlerFor(pixelHandlers, route, 'pixels', violations)(parsedParams);
      if (answer instanceof Failure) return { ok: false, error: overTheWire(answer.error) };
      const meta = check(schemas.meta, answer.meta, `the fake pixel meta of ${route}`, violations);
      const bytes = answer.data instanceof ArrayBuffer ? new Uint8Array(answer.data) : new Uint8Array(answer.data.buffer, answer.data.byteOffset, answer.data.byteLength);
      return { ok: true, value: encodePixelFrame(meta, bytes).buffer };
    },
  };

  const fake: FakeApi = {
    api: createAngioApi(transport),
    calls,
    sent,
    violations,
    handle(channel, handler) {
      invokeHandlers.set(channel, handler as (input: unknown) => Answer<unknown>);
      return fake;
    },
    pixels(route, handler) {
      pixelHandlers.set(route, handler as (params: unknown) => Answer<{ meta: unknown; data: ArrayBuffer | ArrayBufferView }>);
      return fake;
    },
    emit(event, payload) {
      const schema = eventChannels[event];
      if (!schema) throw new ContractViolation(`no event ${String(event)} in the contract`);
      check(schema, payload, `the fake ${String(event)} event`, violations);
      for (const listener of [...listeners]) listener(event, overTheWire(payload));
    },
    inputsOf: (channel) => calls.filter((call) => call.channel === channel).map((call) => call.input),
    listenerCount: () => listeners.size,
  };
  return fake;
}

/** Lets pending promise callbacks (a store's awaited answers) run before the test looks at the store. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
