// The contract round trip without a browser: the derived API over an in-memory transport to the real registry.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createAppContext, closeAppContext } from '../src-main/app/context.ts';
import { composeHandlers } from '../src-main/app/handlers.ts';
import { projectRoot } from '../src-main/app/paths.ts';
import { createIpcRegistry } from '../src-main/ipc/registry.ts';
import { encodePixelFrame } from './pixel-frame.ts';
import { createAngioApi, type AngioTransport } from './api.ts';

const ctx = createAppContext({ appRoot: projectRoot(), dataDir: mkdtempSync(join(tmpdir(), 'angio-api-')), sharedDataDir: '/nonexistent', host: 'cli', log: () => undefined });
const registry = createIpcRegistry(composeHandlers(ctx));
const call = { host: 'cli' as const, origin: 'test' };
const transport: AngioTransport = {
  invoke: (channel, input) => registry.invoke(channel, structuredClone(input), call),
  send: (channel, payload) => void registry.send(channel, payload, call),
  subscribe: (listener) => ctx.bus.subscribe(listener),
  async pixels(route, params) {
    const answer = await registry.pixels(route, params, call);
    if (!answer.ok) return answer;
    return { ok: true, value: encodePixelFrame(answer.value.meta, answer.value.bytes).buffer };
  },
};
const api = createAngioApi(transport);
after(() => closeAppContext(ctx));

test('an invoke round-trips through validation to the real handler', async () => {
  const info = await api.invoke['system.info']({});
  assert.ok(info.ok);
  assert.equal(info.value.nodeVersion, process.versions.node);
  assert.equal(info.value.sharedDataPresent, false);
});

test('a job streams validated events keyed by its id, then finishes once', async () => {
  const seen: string[] = [];
  const started = await api.invoke['diagnostics.start']({});
  assert.ok(started.ok);
  const jobId = started.value.jobId;
  const finished = new Promise<string>((resolve) => {
    api.on('diagnostics.check', (event) => event.jobId === jobId && seen.push(event.name));
    api.on('job.finished', (event) => event.jobId === jobId && resolve(event.status));
  });
  assert.equal(await finished, 'succeeded');
  assert.deepEqual(seen, ['catalog', 'data folder', 'native addon', 'shared data']);
});

test('cancelling a running job ends it as cancelled', async () => {
  const started = await api.invoke['diagnostics.start']({ delayMs: 2_000 });
  assert.ok(started.ok);
  const status = new Promise<string>((resolve) => api.on('job.finished', (e) => e.jobId === started.value.jobId && resolve(e.status)));
  await new Promise((resolve) => setTimeout(resolve, 50));
  const cancel = await api.invoke['jobs.cancel']({ jobId: started.value.jobId });
  assert.deepEqual(cancel, { ok: true, value: { cancelled: true } });
  assert.equal(await status, 'cancelled');
});

test('invalid input and unknown channels come back as typed errors', async () => {
  const bad = await api.invoke['diagnostics.start']({ delayMs: -5 });
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.error.code === 'invalid-input' && /^The delay \(ms\) must be at least 0 \(it is -5\)/.test(bad.error.message), JSON.stringify(bad));
  const unknown = await transport.invoke('no.such.channel', {});
  assert.ok(!unknown.ok && unknown.error.code === 'unknown-channel');
  const prototypeTrick = await transport.invoke('__proto__', {});
  assert.ok(!prototypeTrick.ok && prototypeTrick.error.code === 'unknown-channel');
});

test('malformed events are dropped before a listener sees them', () => {
  const received: unknown[] = [];
  const fake: AngioTransport = { ...transport, subscribe: (listener) => { listener('job.progress', { jobId: 1, done: 'x' }); listener('job.progress', { jobId: 'a', kind: 'k', stage: 's', done: 1, total: 2 }); return () => undefined; } };
  createAngioApi(fake).on('job.progress', (event) => received.push(event));
  assert.equal(received.length, 1);
});

test('pixel routes return raw bytes with validated meta', async () => {
  const answer = await api.pixels['diagnostics.testPattern']({ width: 3, height: 2 });
  assert.ok(answer.ok);
  assert.deepEqual(answer.value.meta, { width: 3, height: 2, format: 'gray16' });
  assert.deepEqual(Array.from(new Uint16Array(answer.value.data)), [0, 257, 514, 31, 288, 545]);
});
