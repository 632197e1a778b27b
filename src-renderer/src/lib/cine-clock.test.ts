// The cine clock: frame = floor(elapsed / frame time), looping or stopping at the last frame, resuming mid-run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ASSUMED_FRAME_TIME_MS, clampCineRate, frameAtElapsed, frameAtStarts, originForFrame, resolveFrameTime, unevenFrameStarts } from './cine-clock.ts';

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

test('a chosen cine rate stays within 1–60 frames/s', () => {
  assert.equal(clampCineRate(0), 1);
  assert.equal(clampCineRate(240), 60);
  assert.equal(clampCineRate(12.34), 12.3);
  assert.equal(clampCineRate(Number.NaN), null);
});

test('stored frame times that step evenly keep the even clock; uneven ones (a Frame Time Vector) give each frame its start', () => {
  assert.equal(unevenFrameStarts([0, 40, 80, 120], 4, 40), null);
  assert.equal(unevenFrameStarts([null], 1, 40), null);
  assert.equal(unevenFrameStarts([0, 40, null], 3, 40), null, 'a missing time: the even clock');
  assert.deepEqual(unevenFrameStarts([0, 100, 150, 350], 4, 100), [0, 100, 150, 350]);
});

test('over uneven starts the frame shown is the last that has started; a pass ends one frame time after the last start', () => {
  const starts = [0, 100, 150, 350];
  assert.deepEqual(frameAtStarts(99, starts, 100, true), { frame: 0, ended: false });
  assert.deepEqual(frameAtStarts(149, starts, 100, true), { frame: 1, ended: false });
  assert.deepEqual(frameAtStarts(349, starts, 100, true), { frame: 2, ended: false });
  assert.deepEqual(frameAtStarts(449, starts, 100, true), { frame: 3, ended: false });
  assert.deepEqual(frameAtStarts(450 + 120, starts, 100, true), { frame: 1, ended: false });
  assert.deepEqual(frameAtStarts(360, starts, 100, false), { frame: 3, ended: true });
});
