// The fake main holds stores and tests to the contract: what a store sends and what a test answers are checked
// against the channel's zod schemas, events too, and pixel answers reach the store as the real API decodes them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ContractViolation, createFakeApi, fail } from './fake-api.ts';

test('answers pass through as the contract parses them, failures as error results', async () => {
  const fake = createFakeApi().handle('system.openRequests', () => ({ paths: ['/a.dcm'] }));
  assert.deepEqual(await fake.api.invoke['system.openRequests']({}), { ok: true, value: { paths: ['/a.dcm'] } });
  fake.handle('system.openRequests', () => fail('internal', 'no'));
  assert.deepEqual(await fake.api.invoke['system.openRequests']({}), { ok: false, error: { code: 'internal', message: 'no' } });
  assert.deepEqual(fake.inputsOf('system.openRequests'), [{}, {}]);
});

test('an answer main could never give fails, and is recorded', async () => {
  const fake = createFakeApi().handle('system.openRequests', () => ({ paths: 'not a list' }) as never);
  await assert.rejects(fake.api.invoke['system.openRequests']({}), ContractViolation);
  assert.match(fake.violations[0]!, /fake answer of system\.openRequests/);
});

test('an input main would refuse fails before any handler runs', async () => {
  let ran = false;
  const fake = createFakeApi().handle('system.openRequests', () => ((ran = true), { paths: [] }));
  await assert.rejects(fake.api.invoke['system.openRequests']({ extra: 1 } as never), ContractViolation);
  assert.equal(ran, false);
});

test('a channel the test did not answer fails, naming it', async () => {
  const fake = createFakeApi();
  await assert.rejects(fake.api.invoke['system.info']({}), /no answer for system\.info/);
});

test('events are checked before listeners see them; unsubscribing stops them', () => {
  const fake = createFakeApi();
  const seen: string[][] = [];
  const off = fake.api.on('system.openFiles', (event) => seen.push(event.paths));
  fake.emit('system.openFiles', { paths: ['/b.dcm'] });
  assert.throws(() => fake.emit('system.openFiles', { paths: 3 } as never), ContractViolation);
  off();
  fake.emit('system.openFiles', { paths: ['/c.dcm'] });
  assert.deepEqual(seen, [['/b.dcm']]);
  assert.equal(fake.listenerCount(), 0);
});

test('pixel answers are framed and decoded as the real API does, meta checked', async () => {
  const fake = createFakeApi().pixels('diagnostics.testPattern', ({ width, height }) => ({ meta: { width, height, format: 'gray16' }, data: new Uint16Array(width * height).fill(513) }));
  const answer = await fake.api.pixels['diagnostics.testPattern']({ width: 4, height: 2 });
  assert.ok(answer.ok);
  assert.deepEqual(answer.value.meta, { width: 4, height: 2, format: 'gray16' });
  assert.deepEqual([...new Uint16Array(answer.value.data)], new Array(8).fill(513));
  fake.pixels('diagnostics.testPattern', () => ({ meta: { width: 4, height: 2, format: 'rgb8' }, data: new Uint8Array(8) }) as never);
  await assert.rejects(fake.api.pixels['diagnostics.testPattern']({ width: 4, height: 2 }), /fake pixel meta/);
});
