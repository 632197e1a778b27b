// Cine playback on a hand-driven clock: the frame on screen follows the file's frame time (even or uneven), the
// chosen rate scales it, loop wraps and no-loop stops at the last frame, and stepping pauses.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import '../../testing/svelte-modules.ts';
import { frameBytes, grayMeta, manualClock } from '../../testing/viewer-fakes.ts';

const { CinePlayer, FrameSource } = await import('./index.ts');

let clock: ReturnType<typeof manualClock>;
beforeEach(() => (clock = manualClock()));
afterEach(() => clock.restore());

/** A run whose frames are all loaded, so setFrame shows them at once. */
function run(frames: number, frameTimeMs: number | null) {
  const meta = grayMeta({ frames, frameTimeMs });
  const source = new FrameSource(() => assert.fail('no error expected'));
  source.startRun({ meta, data: frameBytes(meta, 0).buffer }, async (frame) => ({ ok: true, value: { meta, data: frameBytes(meta, frame).buffer } }));
  return { source, cine: new CinePlayer(source) };
}

test("playback follows the file's frame time and loops", async () => {
  const { source, cine } = run(10, 100);
  await source.loadAll();
  assert.equal(cine.fileFps, 10);
  cine.play();
  assert.equal(cine.playing, true);
  clock.advance(250);
  assert.equal(source.current, 2);
  assert.equal(cine.currentTimeMs, 200);
  clock.advance(800);
  assert.equal(source.current, 0, '1050 ms into a 1000 ms loop');
  assert.equal(source.shown?.samples[0], 0);
  cine.pause();
  assert.equal(clock.pending(), 0, 'a paused player asks for no animation frames');
});

test('without loop, playback stops on the last frame; play again starts over', async () => {
  const { source, cine } = run(5, 40);
  await source.loadAll();
  cine.toggleLoop();
  cine.play();
  clock.advance(1_000);
  assert.equal(source.current, 4);
  assert.equal(cine.playing, false);
  cine.play();
  assert.equal(source.current, 0);
  assert.equal(cine.playing, true);
});

test('a chosen rate scales the clock; null goes back to the file rate; nonsense is refused', async () => {
  const { source, cine } = run(100, 100);
  await source.loadAll();
  cine.setRate(20);
  assert.equal(cine.playbackFps, 20);
  cine.play();
  clock.advance(500);
  assert.equal(source.current, 10, 'half a second at 20 frames/s');
  cine.setRate(null);
  clock.advance(500);
  assert.equal(source.current, 15, 'from the frame shown, at the file rate again');
  cine.setRate(Number.NaN);
  assert.equal(cine.chosenFps, null);
});

test('uneven frame times keep their rhythm', async () => {
  const { source, cine } = run(4, null);
  await source.loadAll();
  // A Frame Time Vector of 0, 100, 300, 100 ms between frames: the frames start at 0, 100, 400 and 500 ms.
  cine.frameTimesMs = [0, 100, 300, 100].map((_, i, steps) => steps.slice(0, i + 1).reduce((a, b) => a + b, 0));
  cine.toggleLoop();
  cine.play();
  clock.advance(150);
  assert.equal(source.current, 1);
  clock.advance(200);
  assert.equal(source.current, 1, 'frame 2 is held back until 400 ms');
  clock.advance(100);
  assert.equal(source.current, 2);
});

test('stepping pauses, wraps with loop and stops at the ends without', async () => {
  const { source, cine } = run(3, 100);
  await source.loadAll();
  cine.play();
  cine.step(-1);
  assert.equal(cine.playing, false);
  assert.equal(source.current, 2);
  cine.step(1);
  assert.equal(source.current, 0);
  cine.toggleLoop();
  cine.step(-1);
  assert.equal(source.current, 0);
});

test('a run of one frame does not play; clear stops and forgets the rate', async () => {
  const { source, cine } = run(1, 100);
  cine.play();
  assert.equal(cine.playing, false);
  const many = run(5, 100);
  many.cine.setRate(30);
  many.cine.play();
  many.cine.clear();
  assert.deepEqual({ playing: many.cine.playing, chosenFps: many.cine.chosenFps, pending: clock.pending() }, { playing: false, chosenFps: null, pending: 0 });
  assert.equal(source.current, 0);
});
