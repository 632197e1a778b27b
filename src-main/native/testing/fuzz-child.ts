// The fuzz run itself, in its own process so that a crash shows as this process dying (binding-fuzz.test.ts, and
// under ASan in sanitizers.test.ts). Loads the addon from ANGIO_ADDON_PATH (or the project's build), calls every
// export with each argument replaced by bad values, with arguments missing, on foreign and closed `this`, and
// with option objects whose getters detach the call's buffers. Prints one JSON report line on stdout.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { projectRoot } from '../../app/paths.ts';
import { ADDON_RELATIVE_PATH } from '../load.ts';
import { exportedNames, fuzzCases, fuzzFiles, liveSession, type AnyAddon, type FuzzCall } from './fuzz-cases.ts';
import { badValuesFor, detachingCopy, genericBadValues, type ArgumentKind } from './fuzz-values.ts';

export interface FuzzReport {
  exports: string[];
  cases: string[];
  /** Plain functions that take no arguments: nothing handed to them can be wrong. */
  noArguments: string[];
  /** Per export: calls made, typed errors seen, calls that returned normally. */
  counts: Record<string, { calls: number; typed: number; returned: number }>;
  untyped: string[];
}

const addonPath = process.env.ANGIO_ADDON_PATH ?? join(projectRoot(), ADDON_RELATIVE_PATH);
const addon = createRequire(import.meta.url)(addonPath) as AnyAddon;
const files = await fuzzFiles(addon);
const cases = fuzzCases(files);
const report: FuzzReport = {
  exports: exportedNames(addon),
  cases: Object.keys(cases).sort(),
  noArguments: Object.keys(cases).filter((name) => !name.includes('#') && cases[name]!().kinds.length === 0),
  counts: {},
  untyped: [],
};

function describe(value: unknown): string {
  if (typeof value === 'symbol' || typeof value === 'bigint' || typeof value === 'function') return typeof value;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as Float32Array).length ?? value.byteLength})`;
  if (typeof value === 'string') return JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…(${value.length})` : value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? `array(${value.length})` : 'object';
}

/** An error is typed when it is an Error carrying a string `code`, the binding's contract. */
function isTyped(error: unknown): boolean {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

const TIMEOUT = Symbol('timeout');

/** `expected` accepts one more kind of error for a call whose refusal is the language's, not the binding's. */
async function attempt(name: string, label: string, call: () => unknown, expected?: (error: unknown) => boolean): Promise<void> {
  const counts = (report.counts[name] ??= { calls: 0, typed: 0, returned: 0 });
  counts.calls += 1;
  process.stderr.write(`${name} ${label}\n`); // the last line names the call if this process dies
  try {
    const result = call();
    if (result instanceof Promise) {
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([result, new Promise((resolve) => (timer = setTimeout(resolve, 120_000, TIMEOUT)))]);
      clearTimeout(timer);
      if (outcome === TIMEOUT) throw new Error('no answer within 120 s');
    }
    counts.returned += 1;
  } catch (error) {
    if (isTyped(error) || expected?.(error)) counts.typed += 1;
    else report.untyped.push(`${name} ${label}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

function resolve(name: string): { fn: (...args: unknown[]) => unknown; method: boolean; construct: boolean } {
  const [owner, method] = name.split('#') as [string, string | undefined];
  if (method) return { fn: (addon[owner] as { prototype: Record<string, (...a: unknown[]) => unknown> }).prototype[method]!, method: true, construct: false };
  const [object, inner] = owner.split('.') as [string, string | undefined];
  if (inner) return { fn: (addon[object] as Record<string, (...a: unknown[]) => unknown>)[inner]!, method: false, construct: false };
  const fn = addon[owner] as (...a: unknown[]) => unknown;
  return { fn, method: false, construct: owner === 'TrainingSession' };
}

function defaultFor(kind: ArgumentKind): unknown {
  return { f32: new Float32Array(4), f64: new Float64Array(4), i32: new Int32Array(4), u8: new Uint8Array(4) }[kind as 'f32'];
}

type Session = ReturnType<typeof liveSession>;
/** `this` for one call: a fresh session for methods (closed after the call, so memory does not pile up). */
type Self = { fresh: true } | { given: unknown };

/** Every mutation of one valid call: [label, this, args]. */
function* mutations(make: () => FuzzCall, method: boolean): Generator<[string, Self, unknown[]]> {
  const self = (): Self => (method ? { fresh: true } : { given: undefined });
  const base = make();
  yield ['valid', self(), base.args];
  for (let k = 0; k < base.args.length; k++) yield [`first ${k} arguments only`, self(), make().args.slice(0, k)];
  for (let position = 0; position < base.kinds.length; position++) {
    const kind = base.kinds[position]!;
    const valid = base.args[position] ?? defaultFor(kind);
    for (const bad of [...genericBadValues(), ...badValuesFor(kind, valid)]) {
      const args = make().args;
      args[position] = bad;
      yield [`argument ${position} = ${describe(bad)}`, self(), args];
    }
    if (kind !== 'object' || base.args[position] === null || typeof base.args[position] !== 'object') continue;
    const fields = Object.entries(base.args[position] as object);
    for (const [field, value] of fields) {
      const inner = value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [undefined];
      for (const key of inner) {
        for (const bad of genericBadValues()) {
          const args = make().args;
          const object = args[position] as Record<string, Record<string, unknown>>;
          if (key === undefined) (object as Record<string, unknown>)[field] = bad;
          else object[field]![key] = bad;
          yield [`argument ${position}.${field}${key ? `.${key}` : ''} = ${describe(bad)}`, self(), args];
        }
      }
    }
    const args = make().args;
    args[position] = detachingCopy(args[position] as object, args);
    yield [`argument ${position} detaches the call's buffers when read`, self(), args];
  }
  if (method) {
    const proto = (addon.TrainingSession as unknown as { prototype: object }).prototype;
    for (const foreign of [undefined, null, 7, 'session', {}, Object.create(proto), addon, () => 1]) {
      yield [`on a foreign this (${describe(foreign)})`, { given: foreign }, make().args];
    }
    const closed = liveSession(addon);
    closed.close!();
    yield ['on a closed session', { given: closed }, make().args];
  }
}

for (const name of report.cases) {
  if (!report.exports.includes(name)) continue; // reported by the parent as a case without an export
  const { fn, method, construct } = resolve(name);
  for (const [label, self, args] of mutations(cases[name]!, method)) {
    const session: Session | undefined = 'fresh' in self ? liveSession(addon) : undefined;
    const thisArg = session ?? ('given' in self ? self.given : undefined);
    await attempt(name, label, () => (construct ? Reflect.construct(fn, args) : Reflect.apply(fn, thisArg, args)));
    session?.close!();
  }
  // V8 itself refuses to call a class without `new`, with its TypeError, before any native code runs.
  const classCall = (error: unknown) => error instanceof TypeError && /without 'new'/.test(error.message);
  if (construct) await attempt(name, 'called without new', () => Reflect.apply(fn, undefined, [cases[name]!().args[0]]), classCall);
}

// A session refuses a second call while one runs, and refuses to close under it.
const busy = liveSession(addon);
const running = busy.step!(Int32Array.of(0, 1)) as Promise<unknown>;
await attempt('TrainingSession#step', 'while another step runs', () => busy.step!(Int32Array.of(0, 1)));
await attempt('TrainingSession#close', 'while a step runs', () => busy.close!());
await running;

process.stdout.write(`${JSON.stringify(report)}\n`);
