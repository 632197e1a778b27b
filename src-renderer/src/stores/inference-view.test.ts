// The Viewer's model side over a Viewer store and a fake main: the frame the model sees follows the open image
// (a library frame by its instance, a PNG patch by its item), a map or outline is shown only on the frame it was
// made from, the layer and tab switches, and "open in Viewer" loading a run's model on the Predict tab.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../testing/fake-api.ts';
import { frameBytes, grayMeta, serveRun } from '../testing/viewer-fakes.ts';
import type { MapOverlay } from '../lib/map-overlay.ts';

const { ViewerStore } = await import('./viewer/index.ts');
const { InferenceView } = await import('./inference-view.svelte.ts');
const { openModelInViewer } = await import('./run-folders.svelte.ts');
const { Navigation } = await import('./navigation.svelte.ts');

function openRun() {
  const fake = createFakeApi();
  const meta = grayMeta({ frames: 4 });
  serveRun(fake, 21, meta);
  fake
    .handle('viewer.instanceContext', ({ instanceId }) => ({ instanceId, seriesId: 1, studyId: 1, patientId: 1, pseudonym: 'P-1', studyDate: null, modality: 'XA', seriesNumber: 1, transferSyntax: '1.2.840.10008.1.2.1', rows: 2, columns: 4, frames: 4, keyFrame: null, overlays: [] }))
    .handle('library.instance', ({ instanceId }) => ({ id: instanceId, frames: 4, pixel: null, angio: null, frameTimesMs: [] }));
  const viewer = new ViewerStore(fake.api);
  return { fake, viewer, inference: new InferenceView(fake.api, viewer) };
}

const saliencyOf = (instanceId: number, frame: number): MapOverlay => ({ kind: 'saliency', instanceId, frame, width: 1, height: 1, rgba: new Uint8ClampedArray(4), scale: { name: 'saliency', limit: 1, unit: 'Δp', stops: [] }, regions: [], probability: 0.7 });

test('the frame the model sees follows the open run and its current frame', async () => {
  const { viewer, inference } = openRun();
  assert.equal(inference.at, null, 'nothing open, nothing to predict');
  assert.equal(inference.scannable, false);
  await viewer.open(21);
  await settle(20);
  assert.deepEqual(inference.at, { instanceId: 21, frame: 0 });
  viewer.source.setFrame(2);
  assert.deepEqual(inference.at, { instanceId: 21, frame: 2 });
  assert.equal(inference.scannable, true);
});

test('a PNG patch is read by its item id and is never scanned', async () => {
  const fake = createFakeApi();
  const meta = grayMeta();
  fake
    .handle('dataset.item', ({ itemId }) => ({ id: itemId, kind: 'png', instanceId: null, frameIndex: null, width: 4, height: 2, patient: null, sourceName: 'p.png', sourceSplit: null, label: 'positive', split: null }))
    .pixels('library.itemImage', () => ({ meta, data: frameBytes(meta, 1) }));
  const viewer = new ViewerStore(fake.api);
  const inference = new InferenceView(fake.api, viewer);
  await viewer.openItem(6);
  assert.deepEqual(inference.at, { instanceId: -6, frame: 0, itemId: 6 });
  assert.equal(inference.scannable, false);
  inference.scanFrame();
  assert.equal(inference.tab, 'image', 'scan refused: the tab does not move');
});

test('a saliency map shows only on the frame it was made from, and only with its layer', async () => {
  const { viewer, inference } = openRun();
  await viewer.open(21);
  await settle(20);
  inference.prediction.saliency = saliencyOf(21, 0);
  assert.equal(inference.shownMap?.frame, 0);
  viewer.source.setFrame(1);
  assert.equal(inference.saliency, null, 'another frame: the map is not drawn on it');
  assert.equal(inference.shownMap, null);
  viewer.source.setFrame(0);
  inference.toggleLayer('saliency');
  assert.equal(inference.layer, 'none');
  assert.equal(inference.shownMap, null);
  inference.toggleLayer('heatmap');
  assert.equal(inference.layer, 'heatmap');
  assert.equal(inference.shownMap, null, 'no heatmap made yet');
});

test('tabs cycle image, predict, scan', () => {
  const { inference } = openRun();
  const seen = [inference.tab];
  for (let i = 0; i < 3; i++) {
    inference.nextTab();
    seen.push(inference.tab);
  }
  assert.deepEqual(seen, ['image', 'predict', 'scan', 'image']);
});

test('"Open in Viewer" loads a run\'s model on the Predict tab and shows the Viewer', async () => {
  const { fake, inference } = openRun();
  const summary = { path: '/runs/r1/model.angio' };
  // The model file itself is not modelled here: main says it is missing, which the picker reports.
  fake.handle('inference.model', () => fail('not-found', 'No model file there.'));
  const navigation = new Navigation();
  navigation.go('training');
  const opening = openModelInViewer(inference, navigation, summary.path);
  assert.equal(inference.tab, 'predict');
  assert.equal(inference.model.path, summary.path);
  assert.equal(navigation.active, 'viewer');
  await opening;
  assert.deepEqual(fake.inputsOf('inference.model'), [{ modelPath: summary.path }]);
  assert.equal(inference.model.summary, null);
  assert.deepEqual(fake.violations, []);
});
