// The Viewer's saliency in two stages: a coarse map (16-px squares side by side) drawn at once, then the fine map
// (8-px squares in steps of 4). Checked against the model called directly with the same batches: each map is exactly
// its squares' drops from the image's own score, which is the readout's number; the fine map is the same numbers
// whether a coarse map came first; each stage is one model call made once per image. Through the inference service
// and its IPC handler: a Predict, its coarse map and its fine map encode the image once and each square once.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inferencePixels } from '../../../src-preload/channels/inference.ts';
import { projectRoot, sharedDataDir } from '../../app/paths.ts';
import type { AppContext } from '../../app/index.ts';
import { readImages } from '../image-readouts.ts';
import { InferenceService } from '../inference-service.ts';
import { inferenceHandlers } from '../ipc.ts';
import { preprocessImage } from '../preprocess.ts';
import { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { fixtureModel } from '../testing/fixture-model.ts';
import { labelledPatches } from '../testing/padsd.ts';
import { occludedCopies, occlusionMap, windowGrid } from './occlusion-map.ts';
import { occlusionSaliency, StagedOcclusion } from './occlusion.ts';

const CINE = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');
let runtime: ClassifierRuntime;
let dir: string;
let modelPath: string;

before(async () => {
  const model = await fixtureModel(7);
  runtime = await ClassifierRuntime.load(model.file);
  dir = mkdtempSync(join(tmpdir(), 'angio-staged-saliency-'));
  modelPath = join(dir, 'model.angio');
  writeFileSync(modelPath, model.bytes);
});
after(async () => {
  await runtime.release();
  rmSync(dir, { recursive: true, force: true });
});

/** Records the rows of every model call `target` makes from now on (predict: encoder, quantum layer and head). */
function modelCalls(target: ClassifierRuntime): number[] {
  const rows: number[] = [];
  const predict = target.predict.bind(target);
  target.predict = (images, batch, options) => {
    rows.push(batch);
    return predict(images, batch, options);
  };
  return rows;
}

test('each map is its squares\' drops from the image\'s own score, one model call per stage, none repeated', async () => {
  const image = labelledPatches('test', 2)[1]!.image;
  const S = runtime.imageSize;
  const fineGrid = windowGrid(S);
  const coarseGrid = windowGrid(S, { window: 16, stride: 16 });
  assert.deepEqual([fineGrid.window, fineGrid.stride, fineGrid.windows.length, coarseGrid.windows.length], [8, 4, 225, 16]);

  const counting = await ClassifierRuntime.load((await fixtureModel(7)).file);
  try {
    const rows = modelCalls(counting);
    const staged = new StagedOcclusion(counting, image);
    const coarse = await staged.map('coarse');
    assert.deepEqual(rows, [1, 16], 'the coarse map: the image alone, then its 16 squares in one call');
    const fine = await staged.map('fine');
    assert.deepEqual(rows, [1, 16, 225], 'the fine map: its 225 squares in one call, the image not encoded again');
    await staged.map('coarse');
    await staged.map('fine');
    assert.deepEqual(rows, [1, 16, 225], 'asked again, nothing is scored again');

    // The same batches through the model directly: the maps are exactly these numbers.
    const { input } = preprocessImage(image, counting.manifest.preprocessing);
    const base = (await counting.predict(input, 1)).probability[0]!;
    const coarseScores = (await counting.predict(occludedCopies(input, S, coarseGrid.windows, 16), 16)).probability;
    const fineScores = (await counting.predict(occludedCopies(input, S, fineGrid.windows, 8), 225)).probability;
    assert.deepEqual([coarse.probability, fine.probability], [base, base]);
    assert.deepEqual(coarse.modelValues, occlusionMap(counting, image, coarseGrid, base, coarseScores, 'coarse').modelValues);
    assert.deepEqual(fine.modelValues, occlusionMap(counting, image, fineGrid, base, fineScores).modelValues);
    assert.deepEqual([coarse.detail, coarse.window, coarse.stride, fine.detail, fine.window, fine.stride], ['coarse', 16, 16, 'fine', 8, 4]);

    // Squares side by side: each pixel of the coarse map is hidden by exactly one square and holds that square's drop.
    coarseGrid.windows.forEach(([x, y], i) => {
      for (let r = y; r < y + 16; r++) {
        for (let c = x; c < x + 16; c++) assert.equal(coarse.modelValues[r * S + c], Math.fround(base - coarseScores[i]!), `pixel ${c}, ${r}`);
      }
    });
    assert.ok(coarse.modelValues.some((v) => v !== 0) && fine.modelValues.some((v) => v !== 0), 'neither map is flat');
  } finally {
    await counting.release();
  }
});

test('the fine map is the same numbers whether the coarse map came first, and its base is the readout\'s own score', async () => {
  const image = labelledPatches('test', 3)[2]!.image;
  const afterCoarse = new StagedOcclusion(runtime, image);
  await afterCoarse.map('coarse');
  const fine = await afterCoarse.map('fine');
  const direct = await occlusionSaliency(runtime, image);
  assert.deepEqual(direct.modelValues, fine.modelValues);
  assert.deepEqual(direct.values, fine.values);
  assert.deepEqual(direct.overlay, fine.overlay);
  const [readout] = await readImages(runtime, [image]);
  assert.equal(fine.probability, readout!.probability, 'the map’s base is the number the readout shows');
});

test('through the service: a Predict, its coarse map and its fine map encode the image once and each square once', async () => {
  const service = new InferenceService({ appRoot: projectRoot() });
  try {
    const rows = modelCalls(await service.model(modelPath));
    const patch = { modelPath, imagePath: labelledPatches('test', 1)[0]!.path };
    const readout = await service.predict(patch);
    const coarse = await service.saliency(patch, undefined, 'coarse');
    const fine = await service.saliency(patch, undefined, 'fine');
    assert.deepEqual(rows, [1, 16, 225], 'the maps start from the Predict’s own encoding of the image');
    assert.deepEqual([coarse.probability, fine.probability], [readout.probability, readout.probability]);
    assert.deepEqual([coarse.detail, fine.detail], ['coarse', 'fine']);

    // A lesion candidate's box on a frame: the box read as its patch, alone once, then its squares in two calls.
    rows.length = 0;
    const frame = { modelPath, imagePath: CINE, frame: 30 };
    const box = { x: 200, y: 180, width: 64, height: 64 };
    const boxCoarse = await service.saliency(frame, box, 'coarse');
    const boxFine = await service.saliency(frame, box, 'fine');
    assert.deepEqual(rows, [1, 16, 225]);
    assert.deepEqual([boxFine.width, boxFine.height, boxCoarse.width], [512, 512, 512], 'maps the size of the frame');
    assert.equal(boxFine.values[0], 0, 'empty outside the box');

    // The IPC route: the stage asked for, and the square and step it resolves, in the meta.
    const handlers = inferenceHandlers({ appRoot: projectRoot() } as AppContext, service);
    const callCtx = { host: 'cli' as const, origin: 'test' };
    rows.length = 0;
    const answered: { detail: string; window: number; stride: number }[] = [];
    for (const detail of ['coarse', 'fine'] as const) {
      const params = inferencePixels['inference.saliency'].params.parse({ ...frame, box: { ...box, x: 264 }, format: 'float32', detail });
      const answer = await handlers.pixels['inference.saliency']!(params, callCtx);
      answered.push(inferencePixels['inference.saliency'].meta.parse(answer.meta));
      assert.equal(answer.bytes.byteLength, 512 * 512 * 4);
    }
    assert.deepEqual(answered.map((m) => [m.detail, m.window, m.stride]), [['coarse', 16, 16], ['fine', 8, 4]]);
    assert.deepEqual(rows, [1, 16, 225]);
    assert.equal(inferencePixels['inference.saliency'].params.parse({ ...patch, frame: 0 }).detail, 'fine', 'a request that names no stage gets the fine map');
  } finally {
    await service.close();
  }
});
