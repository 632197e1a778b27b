// The Viewer store against a fake main: opening a run (context, facts, first frame with its window, overlays, ECG
// only when recorded, the rest of the frames), a dataset item (a DICOM frame opens its run there; a patch shows
// itself), a run's test image, failures said plainly, a superseded open dropped, comparison, and "use this frame".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../testing/svelte-modules.ts';
import { createFakeApi, fail, settle, type FakeApi } from '../../testing/fake-api.ts';
import { frameBytes, grayMeta, serveRun } from '../../testing/viewer-fakes.ts';

const { ViewerStore } = await import('./index.ts');

const facts = (ecg: boolean) => ({
  positionerPrimaryAngle: -30,
  positionerSecondaryAngle: 20,
  imagerPixelSpacing: null,
  pixelSpacing: null,
  frameTimeMs: 66.7,
  frameTimeVectorMs: null,
  cineRate: 15,
  recommendedDisplayFrameRate: null,
  burnedInAnnotation: 'NO' as const,
  shutter: { shapes: ['RECTANGULAR'], rectangular: { left: 2, right: 3, upper: 1, lower: 2 } },
  overlays: [],
  ecg: ecg ? { channels: 1, samples: 3, samplingFrequency: 500 } : null,
  rWaveFrames: [],
});

const context = (instanceId: number, overlays: number[] = []) => ({
  instanceId,
  seriesId: 20,
  studyId: 30,
  patientId: 40,
  pseudonym: 'P-0001',
  studyDate: '20240101',
  modality: 'XA',
  seriesNumber: 4,
  transferSyntax: '1.2.840.10008.1.2.1',
  rows: 2,
  columns: 4,
  frames: 6,
  keyFrame: null,
  overlays: overlays.map((group) => ({ group, rows: 2, columns: 4, originRow: 1, originColumn: 1 })),
});

/** A library run of `frames` gray8 frames with the given file window, overlay planes and ECG. */
function library(fake: FakeApi, instanceId: number, options: { frames?: number; ecg?: boolean; overlays?: number[]; hold?: boolean } = {}) {
  const meta = grayMeta({ frames: options.frames ?? 6, window: { center: 50, width: 60 }, frameTimeMs: null });
  fake
    .handle('viewer.instanceContext', ({ instanceId: id }) => context(id, options.overlays))
    .handle('library.instance', ({ instanceId: id }) => ({ id, frames: meta.frames, pixel: null, angio: facts(options.ecg ?? false), frameTimesMs: [] }))
    .handle('viewer.ecg', () => ({ ecg: { samplingFrequency: 500, channels: 1, samples: [1, 2, 3], durationSeconds: 0.006 } }))
    .pixels('viewer.overlay', () => ({ meta: { width: 4, height: 2, format: 'gray8', originRow: 1, originColumn: 1 }, data: new Uint8Array(8) }));
  return { meta, server: serveRun(fake, instanceId, meta, { hold: options.hold }) };
}

test('opening a run shows its first frame in the file window and loads the rest, overlays and no ECG unless recorded', async () => {
  const fake = createFakeApi();
  library(fake, 11, { overlays: [0x6000] });
  const viewer = new ViewerStore(fake.api);
  const opening = viewer.open(11);
  assert.equal(viewer.opening, true);
  await opening;
  assert.equal(viewer.opening, false);
  assert.equal(viewer.instanceId, 11);
  assert.equal(viewer.context?.seriesNumber, 4);
  assert.equal(viewer.frames, 6);
  assert.equal(viewer.shown?.index, 0);
  assert.deepEqual(viewer.display.window, { center: 50, width: 60 });
  assert.equal(viewer.display.preset, 'file');
  assert.equal(viewer.cine.fileFps, 1000 / 66.7, "the stored frame time, as the meta has none");
  // PS3.3 C.8.7.5: a negative primary angle is RAO, a positive secondary angle cranial.
  assert.equal(viewer.projection, 'RAO 30 CRA 20');
  // The rectangular shutter keeps columns 2-3 of rows 1-2 (1-based) of the 4 x 2 image.
  assert.deepEqual([...(viewer.mask ?? [])], [0, 1, 1, 0, 0, 1, 1, 0], '1 where visible');
  await settle(20);
  assert.equal(viewer.source.loadStatus, 'done');
  assert.deepEqual(viewer.overlays.planes.map((p) => p.group), [0x6000]);
  assert.deepEqual(fake.inputsOf('viewer.ecg'), [], 'no ECG asked for when the file records none');
  assert.equal(viewer.error, null);
  assert.deepEqual(fake.violations, []);

  await viewer.open(11);
  assert.equal(fake.inputsOf('viewer.instanceContext').length, 1, 'opening the open run again asks nothing');
});

test('the ECG is read when the run records one', async () => {
  const fake = createFakeApi();
  library(fake, 12, { ecg: true });
  const viewer = new ViewerStore(fake.api);
  await viewer.open(12);
  await settle(20);
  assert.deepEqual(viewer.overlays.ecg?.samples, [1, 2, 3]);
});

test('a run that cannot be opened says so and what to do', async () => {
  const fake = createFakeApi();
  library(fake, 13);
  fake.handle('library.instance', () => fail('not-found', 'No instance 13.'));
  const viewer = new ViewerStore(fake.api);
  await viewer.open(13);
  assert.equal(viewer.meta, null);
  assert.equal(viewer.error, 'This image could not be opened: No instance 13. Choose another series in the Library, or import the file again.');
  viewer.dismissError();
  assert.equal(viewer.error, null);
});

test('a second open while the first is under way wins; the first one\'s answers are dropped', async () => {
  const fake = createFakeApi();
  library(fake, 14);
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  fake.handle('viewer.instanceContext', async ({ instanceId }) => {
    if (instanceId === 14) await gate;
    return context(instanceId);
  });
  const viewer = new ViewerStore(fake.api);
  const first = viewer.open(14);
  fake.pixels('library.frame', ({ frame }) => ({ meta: grayMeta({ frames: 2 }), data: frameBytes(grayMeta({ frames: 2 }), frame + 100) }));
  await viewer.open(15);
  release();
  await first;
  assert.equal(viewer.instanceId, 15);
  assert.equal(viewer.frames, 2);
  assert.equal(viewer.shown?.samples[0], 100);
});

test('a dataset item of a DICOM frame opens its run at that frame', async () => {
  const fake = createFakeApi();
  library(fake, 16);
  const item = { id: 5, kind: 'dicom-frame' as const, instanceId: 16, frameIndex: 3, width: 4, height: 2, patient: 'P-0001', sourceName: null, sourceSplit: null, label: 'positive' as const, split: null };
  fake.handle('dataset.item', () => item);
  const viewer = new ViewerStore(fake.api);
  await viewer.openItem(5);
  await settle(20);
  assert.equal(viewer.instanceId, 16);
  assert.equal(viewer.item?.id, 5);
  assert.equal(viewer.current, 3);
  assert.equal(viewer.shown?.samples[0], 3);
  assert.equal(viewer.patch, false);
});

test('a PNG patch is shown itself, as stored; a run\'s test image likewise', async () => {
  const fake = createFakeApi();
  const meta = grayMeta({ window: { center: 10, width: 4 } });
  fake
    .handle('dataset.item', ({ itemId }) => ({ id: itemId, kind: 'png', instanceId: null, frameIndex: null, width: 4, height: 2, patient: null, sourceName: 'patch.png', sourceSplit: null, label: 'negative', split: null }))
    .pixels('library.itemImage', () => ({ meta, data: frameBytes(meta, 42) }))
    .pixels('results.testImage', () => ({ meta, data: frameBytes(meta, 43) }));
  const viewer = new ViewerStore(fake.api);
  await viewer.openItem(8);
  assert.equal(viewer.patch, true);
  assert.equal(viewer.display.preset, 'full', 'every value shown, nothing clipped');
  assert.equal(viewer.shown?.samples[0], 42);
  assert.equal(viewer.source.loadStatus, 'done');

  const imageId = 'ab'.repeat(32);
  await viewer.openTestImage({ runId: 'run-1', imageId, file: 'test/neg/1.png' } as never);
  assert.equal(viewer.item, null);
  assert.equal(viewer.testImage?.imageId, imageId);
  assert.equal(viewer.shown?.samples[0], 43);
  assert.deepEqual(fake.inputsOf('results.testImage'), [{ runId: 'run-1', imageId }]);
});

test('pinning keeps the frame as drawn; "use this frame" adds it to the dataset and says so', async () => {
  const fake = createFakeApi();
  library(fake, 17);
  fake.handle('viewer.useFrame', ({ frame }) => ({ itemId: 90 + frame, created: frame === 2, pseudonym: 'P-0001' }));
  const viewer = new ViewerStore(fake.api);
  await viewer.open(17);
  await settle(20);
  viewer.source.setFrame(2);
  viewer.display.toggleInvert();
  viewer.pinForCompare();
  assert.equal(viewer.compare?.label, 'series 4 XA · frame 3/6');
  assert.equal(viewer.compare?.invert, true);
  assert.equal(viewer.compare?.lut, viewer.display.lut);

  await viewer.useFrame();
  assert.equal(viewer.notice, 'Frame 3 is now dataset item #92 for patient P-0001.');
  viewer.source.setFrame(4);
  await viewer.useFrame();
  assert.equal(viewer.notice, 'Frame 5 is already in the dataset (item #94, patient P-0001).');
  assert.deepEqual(fake.inputsOf('viewer.useFrame'), [{ instanceId: 17, frame: 2, reader: null }, { instanceId: 17, frame: 4, reader: null }]);

  viewer.close();
  assert.deepEqual({ meta: viewer.meta, instanceId: viewer.instanceId, planes: viewer.overlays.planes.length, zoom: viewer.display.zoom, invert: viewer.display.invert }, { meta: null, instanceId: null, planes: 0, zoom: 1, invert: false });
  assert.notEqual(viewer.compare, null, 'the pinned frame stays for comparison with the next run');
});
