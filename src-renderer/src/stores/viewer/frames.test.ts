// The frame source against a fake main: a run's frames load in the background a few at a time, each once; a frame
// asked for early is fetched at once and shared with the background load; stop and resume; a damaged frame is
// reported while the others still load; and answers for an image no longer open are dropped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../testing/svelte-modules.ts';
import { createFakeApi, settle } from '../../testing/fake-api.ts';
import { frameBytes, grayMeta, serveRun } from '../../testing/viewer-fakes.ts';

const { FrameSource } = await import('./index.ts');

function openRun(frames: number, options: Parameters<typeof serveRun>[3] = {}) {
  const fake = createFakeApi();
  const meta = grayMeta({ frames });
  const server = serveRun(fake, 7, meta, options);
  const errors: string[] = [];
  const source = new FrameSource((message) => errors.push(message));
  source.startRun({ meta, data: frameBytes(meta, 0).buffer }, (frame) => fake.api.pixels['library.frame']({ instanceId: 7, frame }));
  return { fake, meta, server, errors, source };
}

const framesAsked = (fake: ReturnType<typeof createFakeApi>) => fake.inputsOf('library.frame').map((input) => (input as { frame: number }).frame);

test('the first frame shows at once; the rest load in the background, each once, four at a time', async () => {
  const { fake, server, source } = openRun(10, { hold: true });
  assert.equal(source.count, 10);
  assert.deepEqual({ current: source.current, shown: source.shown?.index, loaded: source.loadedFrames }, { current: 0, shown: 0, loaded: 1 });
  assert.equal(source.shown?.samples[0], 0);

  const loading = source.loadAll();
  assert.equal(source.loadStatus, 'loading');
  while (server.waiting() > 0 || source.loadStatus === 'loading') {
    await settle();
    if (server.release() === 0 && source.loadStatus !== 'loading') break;
  }
  await loading;
  assert.equal(source.loadStatus, 'done');
  assert.equal(source.loadedFrames, 10);
  assert.deepEqual(framesAsked(fake).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9], 'frame 0 came with the run; no frame twice');
  assert.equal(server.mostInFlight(), 4);
  assert.deepEqual(fake.violations, []);
});

test('a frame shown before its turn is fetched at once, and the background load shares that request', async () => {
  const { fake, server, source } = openRun(6, { hold: true });
  source.setFrame(5);
  assert.equal(source.current, 5);
  assert.equal(source.shown?.index, 0, 'the old frame stays until the new one arrives');
  const loading = source.loadAll();
  for (let i = 0; i < 6 && source.loadStatus === 'loading'; i++) {
    await settle();
    server.release();
  }
  await loading;
  assert.equal(source.shown?.index, 5);
  assert.equal(source.shown?.samples[0], 5);
  assert.equal(framesAsked(fake).filter((frame) => frame === 5).length, 1);
  source.setFrame(99);
  assert.equal(source.current, 5, 'clamped to the last frame');
  source.setFrame(-3);
  assert.equal(source.shown?.index, 0, 'clamped to the first, and shown at once from the cache');
});

test('stopping the load leaves the rest to load when shown; resuming finishes it', async () => {
  const { source } = openRun(12);
  const loading = source.loadAll();
  source.cancelLoading();
  await loading;
  assert.equal(source.loadStatus, 'cancelled');
  assert.ok(source.loadedFrames < 12, `stopped at ${source.loadedFrames}`);
  source.resumeLoading();
  await settle(20);
  assert.equal(source.loadStatus, 'done');
  assert.equal(source.loadedFrames, 12);
});

test('a damaged frame is reported and the load ends failed; the other frames still load', async () => {
  const { source, errors } = openRun(5, { failing: [3] });
  await source.loadAll();
  assert.equal(source.loadStatus, 'failed');
  assert.equal(source.loadedFrames, 4);
  assert.equal(errors.length, 1);
  assert.match(errors[0]!, /^Frame 4 could not be read: frame 3 is damaged/);
});

test('answers for a run no longer open are dropped', async () => {
  const { server, source } = openRun(4, { hold: true });
  source.setFrame(2);
  const loading = source.loadAll();
  source.clear();
  assert.deepEqual({ meta: source.meta, shown: source.shown, status: source.loadStatus, count: source.count }, { meta: null, shown: null, status: 'idle', count: 0 });
  server.release();
  await loading;
  await settle();
  assert.equal(source.shown, null);
  assert.equal(source.loadedFrames, 0);
});

test('a single image (a patch) has nothing more to load', async () => {
  const source = new FrameSource(() => assert.fail('no error expected'));
  const meta = grayMeta({ frames: 1 });
  source.showSingle({ meta, data: frameBytes(meta, 9).buffer });
  assert.equal(source.loadStatus, 'done');
  assert.equal(source.shown?.samples[0], 9);
  await source.loadAll();
  assert.equal(source.loadStatus, 'done');
});
