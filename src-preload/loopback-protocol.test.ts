// Both ends of the harness WebSocket speak through these functions: what one encodes the other reads back intact.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodePixelAnswer,
  decodeServerMessage,
  encodeClientMessage,
  encodePixelAnswer,
  encodeServerMessage,
  parseClientMessage,
  type ClientMessage,
  type ServerMessage,
} from './loopback-protocol.ts';
import { decodePixelFrame, encodePixelFrame } from './pixel-frame.ts';

test('every client message the bridge encodes is read back by the host unchanged', () => {
  const messages: ClientMessage[] = [
    { type: 'invoke', id: 7, channel: 'system.info', input: {} },
    { type: 'send', channel: 'renderer.log', payload: { level: 'info', message: 'hello' } },
    { type: 'pixels', id: 2 ** 32 - 1, route: 'library.frame', params: { instanceId: 3, frame: 1 } },
  ];
  for (const message of messages) assert.deepEqual(parseClientMessage(encodeClientMessage(message)), message);
});

test('the host refuses what is not a client message', () => {
  for (const text of ['not json', 'null', '[]', '{"type":"invoke","channel":"system.info"}', '{"type":"invoke","id":-1,"channel":"x"}', '{"type":"pixels","id":1.5,"route":"x"}', `{"type":"invoke","id":${2 ** 32},"channel":"x"}`, '{"type":"send","channel":5}', '{"type":"other","id":1}']) {
    assert.equal(parseClientMessage(text), null, text);
  }
});

test('server messages and binary pixel answers reach the bridge intact', () => {
  const messages: ServerMessage[] = [
    { type: 'result', id: 4, result: { ok: true, value: { a: [1, 2] } } },
    { type: 'result', id: 5, result: { ok: false, error: { code: 'invalid-input', message: 'no' } } },
    { type: 'event', event: 'job.progress', payload: { jobId: 'j', done: 1 } },
  ];
  for (const message of messages) assert.deepEqual(decodeServerMessage(encodeServerMessage(message)), message);

  const bytes = Uint8Array.from({ length: 10 }, (_, i) => i * 3);
  const packet = encodePixelAnswer(123_456, encodePixelFrame({ width: 5, height: 1, format: 'gray16' }, bytes));
  const { id, frame } = decodePixelAnswer(packet.buffer);
  assert.equal(id, 123_456);
  const decoded = decodePixelFrame(frame);
  assert.deepEqual(decoded.meta, { width: 5, height: 1, format: 'gray16' });
  assert.deepEqual(new Uint8Array(decoded.data), bytes);
});
