// The handler registry: every contract channel must have a handler (a type error otherwise), and a throwing
// handler becomes a typed error value rather than a crash.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeChannels, pixelRoutes, sendChannels, TransportErrorCode } from '../../src-preload/contract.ts';
import type { Handlers, InvokeHandlers, PixelHandlers, SendHandlers } from './registry.ts';
import { createIpcRegistry } from './registry.ts';
import { AppError } from './app-error.ts';

const ctx = { host: 'cli' as const, origin: 'test' };

/** Every channel answers "not in this test" unless the test gives it a handler. */
function refuseAll<T>(table: object): T {
  return Object.fromEntries(Object.keys(table).map((name) => [name, () => { throw new AppError('not-in-this-test', name); }])) as T;
}

function handlers(overrides: Partial<InvokeHandlers> = {}): Handlers {
  return {
    invoke: {
      ...refuseAll<InvokeHandlers>(invokeChannels),
      'system.info': () => { throw new AppError('store-unavailable', 'The catalog is locked by another program.'); },
      'diagnostics.start': () => ({ jobId: 'job-1' }),
      'jobs.cancel': () => { throw new Error('boom'); },
      ...overrides,
    },
    send: { ...refuseAll<SendHandlers>(sendChannels), 'renderer.log': () => undefined },
    pixels: { ...refuseAll<PixelHandlers>(pixelRoutes), 'diagnostics.testPattern': () => ({ meta: { width: 1, height: 1, format: 'gray16' as const }, bytes: new Uint8Array(2) }) },
  };
}

test('a handler table missing a contract channel does not type-check', () => {
  // @ts-expect-error — 'jobs.cancel' is in the contract, so a table without it is refused by the compiler.
  const incomplete: InvokeHandlers = { 'system.info': handlers().invoke['system.info'], 'diagnostics.start': () => ({ jobId: 'x' }) };
  assert.ok(incomplete);
});

test('AppErrors keep their code and message; other throws become internal errors', async () => {
  const registry = createIpcRegistry(handlers());
  assert.deepEqual(await registry.invoke('system.info', {}, ctx), {
    ok: false,
    error: { code: 'store-unavailable', message: 'The catalog is locked by another program.' },
  });
  const crash = await registry.invoke('jobs.cancel', { jobId: 'a' }, ctx);
  assert.ok(!crash.ok && crash.error.code === 'internal' && /boom/.test(crash.error.message));
});

test('an answer that breaks the contract is reported, not forwarded', async () => {
  const registry = createIpcRegistry(handlers({ 'diagnostics.start': () => ({ jobId: '' }) }));
  const answer = await registry.invoke('diagnostics.start', {}, ctx);
  assert.ok(!answer.ok && answer.error.code === 'invalid-output');
});

test('defaults from the schema reach the handler', async () => {
  let seen: unknown;
  const registry = createIpcRegistry(handlers({ 'diagnostics.start': (input) => { seen = input; return { jobId: 'j' }; } }));
  await registry.invoke('diagnostics.start', {}, ctx);
  assert.deepEqual(seen, { delayMs: 0 });
});

test('sends and pixel routes validate too', async () => {
  const registry = createIpcRegistry(handlers());
  assert.equal(registry.send('renderer.log', { level: 'loud', message: 'x' }, ctx).ok, false);
  assert.equal(registry.send('renderer.log', { level: 'info', message: 'x' }, ctx).ok, true);
  const pixels = await registry.pixels('diagnostics.testPattern', { width: 0, height: 1 }, ctx);
  assert.ok(!pixels.ok && pixels.error.code === 'invalid-input');
});

test('a pixel answer whose meta breaks its schema is refused as invalid output, not forwarded', async () => {
  const malformed = handlers();
  // A handler that escaped the type checker (a cast, a JSON column) and answers a meta the route does not declare.
  malformed.pixels['diagnostics.testPattern'] = () => ({ meta: { width: 2, height: 'two', format: 'gray16' } as never, bytes: new Uint8Array(8) });
  const refused = await createIpcRegistry(malformed).pixels('diagnostics.testPattern', { width: 2, height: 2 }, ctx);
  assert.ok(!refused.ok);
  assert.equal(refused.error.code, TransportErrorCode.invalidOutput);
  assert.match(refused.error.message, /diagnostics\.testPattern/);
  assert.deepEqual((refused.error.details as { path: unknown[] }[]).map((issue) => issue.path), [['height']]);

  const answered = await createIpcRegistry(handlers()).pixels('diagnostics.testPattern', { width: 1, height: 1 }, ctx);
  assert.ok(answered.ok);
  assert.deepEqual(answered.value.meta, pixelRoutes['diagnostics.testPattern'].meta.parse({ width: 1, height: 1, format: 'gray16' }));
});
