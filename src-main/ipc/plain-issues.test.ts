// Refused input, as people read it: through the registry with the contract's real schemas, each sentence names the
// field and what to do; the code stays invalid-input and the schema's issues stay on the error for programs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invokeChannels, pixelRoutes, sendChannels, TransportErrorCode } from '../../src-preload/contract.ts';
import { AppError } from './app-error.ts';
import { createIpcRegistry, type Handlers, type InvokeHandlers, type PixelHandlers, type SendHandlers } from './registry.ts';

const ctx = { host: 'cli' as const, origin: 'test' };
const unused = <T,>(table: object): T => Object.fromEntries(Object.keys(table).map((name) => [name, () => { throw new AppError('not-in-this-test', name); }])) as T;
const handlers: Handlers = { invoke: unused<InvokeHandlers>(invokeChannels), send: unused<SendHandlers>(sendChannels), pixels: unused<PixelHandlers>(pixelRoutes) };
const registry = createIpcRegistry(handlers);

async function refusal(channel: string, input: unknown): Promise<{ code: string; message: string; details?: unknown }> {
  const answer = await registry.invoke(channel, input, ctx);
  assert.ok(!answer.ok, `${channel} refused ${JSON.stringify(input).slice(0, 80)}`);
  return answer.error;
}

test('a folder path over the limit is named, measured and the way on given; the code and issues are kept', async () => {
  const root = `/${'a'.repeat(5000)}`;
  const error = await refusal('ingest.importFolder', { root });
  assert.equal(error.code, TransportErrorCode.invalidInput);
  assert.equal(error.message, `The folder path is too long (${root.length} characters; at most 4096 are allowed): shorten it.`);
  assert.doesNotMatch(error.message, /Invalid input|Too big|expected string|ingest\.importFolder/);
  assert.ok(Array.isArray(error.details) && (error.details as { code: string }[])[0]!.code === 'too_big');
});

test('empty, missing, wrong-kind, out-of-range, unknown and not-one-of fields each get their sentence', async () => {
  assert.equal((await refusal('dataset.addReader', { name: '' })).message, 'The name is empty: fill it in.');
  assert.equal((await refusal('dataset.label', { itemIds: [1], label: 'positive' })).message, 'The reader is missing: fill it in.');
  assert.equal((await refusal('dataset.addReader', { name: 7 })).message, 'The name must be text, not a number: correct it.');
  assert.equal((await refusal('dataset.label', { readerId: 1, itemIds: [1], label: 'maybe' })).message, 'The label must be one of "positive", "negative", "unsure", "exclude" (not "maybe"): pick one of those.');
  assert.equal((await refusal('dataset.addReader', { name: 'Dr A', colour: 'red' })).message, '"colour" is not a setting this action takes: leave it out.');
  const ratios = await refusal('dataset.buildSplit', { ratios: { train: 150, val: 10, test: 10 }, seed: 1 });
  assert.equal(ratios.message, 'The train must be at most 100 (it is 150): enter a smaller number.');
  const many = await refusal('dataset.label', { readerId: 1, itemIds: [1, 0], label: null });
  assert.equal(many.message, 'The list of items (entry 2) must be more than 0 (it is 0): enter a larger number.');
});

test('pixel requests speak the same way; a refused send keeps the schema words for the log', async () => {
  const pixels = await registry.pixels('library.itemImage', { itemId: 'seven' }, ctx);
  assert.ok(!pixels.ok && pixels.error.code === TransportErrorCode.invalidInput);
  assert.equal(pixels.error.message, 'The dataset item must be a number, not text: correct it.');
  const send = registry.send('renderer.log', { level: 'info', message: 'x'.repeat(5000) }, ctx);
  assert.ok(!send.ok && /^Invalid message on renderer\.log/.test(send.error.message));
});
