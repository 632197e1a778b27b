// The cine clock: frame = floor(elapsed / frame time), looping or stopping at the last frame, resuming mid-run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ASSUMED_FRAME_TIME_MS, frameAtElapsed, originForFrame, resolveFrameTime } from './cine-clock.ts';

test('the frame after t ms is floor(t / frame time)', () => {
  assert.deepEqual(frameAtElapsed(0, 33, 96, true), { frame: 0, ended: false });
  assert.deepEqual(frameAtElapsed(32.9, 33, 96, true), { frame: 0, ended: false });
  assert.deepEqual(frameAtElapsed(33, 33, 96, true), { frame: 1, ended: false });
  assert.deepEqual(frameAtElapsed(1000, 33, 96, true), { frame: 30, ended: false });
});

test('a looping run wraps; a run that does not loop stops on its last frame', () => {
  assert.deepEqual(frameAtElapsed(96 * 33 + 5, 33, 96, true), { frame: 0, ended: false });
  assert.deepEqual(frameAtElapsed(96 * 33 + 5, 33, 96, false), { frame: 95, ended: true });
  assert.deepEqual(frameAtElapsed(95 * 33, 33, 96, false), { frame: 95, ended: true });
});

test('a single frame never advances', () => {
  assert.deepEqual(frameAtElapsed(5000, 33, 1, true), { frame: 0, ended: true });
});

test('resuming at frame k puts the origin k frame times back', () => {
  const origin = originForFrame(10_000, 40, 33);
  assert.equal(frameAtElapsed(10_000 - origin, 33, 96, true).frame, 40);
});

test('frame time: the file\'s value, else the step of stored frame times, else an assumed 15 frames/s', () => {
  assert.deepEqual(resolveFrameTime(33, [0, 33]), { ms: 33, assumed: false });
  assert.deepEqual(resolveFrameTime(null, [0, 40, 80]), { ms: 40, assumed: false });
  assert.deepEqual(resolveFrameTime(null, [null]), { ms: ASSUMED_FRAME_TIME_MS, assumed: true });
});
