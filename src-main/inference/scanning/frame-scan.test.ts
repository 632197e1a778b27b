// Scanning full angiography frames: windows land on the frame pixels they name, the heatmap covers the frame,
// regions do not overlap, a large frame's windows go through the model in a few large calls, progress reaches the
// end, and unusable frames fail with typed errors.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../../app/paths.ts';
import { AppError } from '../../ipc/app-error.ts';
import { openDicomFrames } from '../dicom-frames.ts';
import { readImages } from '../image-readouts.ts';
import { ClassifierRuntime } from '../runtime/classifier-runtime.ts';
import { fixtureModel } from '../testing/fixture-model.ts';
import { scanCine } from './cine-scan.ts';
import { SCAN_WINDOWS_PER_CALL, scanFrame, windowsPerCall } from './frame-scan.ts';

const xa = (file: string) => join(sharedDataDir(), 'dicom', 'xa', file);
let runtime: ClassifierRuntime;
before(async () => {
  runtime = await ClassifierRuntime.load((await fixtureModel(7)).file);
});
after(() => runtime.release());

test('a 512² cine frame scans into a frame-sized heatmap whose top region scores as the same crop read alone', async () => {
  const frames = await openDicomFrames(xa('XA_cine_96f_jpeg_baseline.dcm'));
  const frame = await frames.readFrame(0);
  const progress: number[][] = [];
  const scan = await scanFrame(runtime, frame, { patchSize: 64, stride: 32, onProgress: (done, total) => progress.push([done, total]) });
  assert.equal(scan.windowCount, 15 * 15);
  assert.equal(scan.heatmap.length, 512 * 512);
  assert.deepEqual(progress.at(-1), [225, 225]);
  assert.ok(scan.heatmap.every((p) => p >= 0 && p <= 1));
  assert.equal(scan.regions.length, 5);
  const top = scan.regions[0]!;
  assert.equal(top.probability, scan.maxProbability);
  const crop = new Uint8Array(64 * 64);
  for (let r = 0; r < 64; r++) crop.set((frame.pixels as Uint8Array).subarray((top.y + r) * 512 + top.x, (top.y + r) * 512 + top.x + 64), r * 64);
  const [alone] = await readImages(runtime, [{ width: 64, height: 64, pixels: crop }]);
  assert.ok(Math.abs(alone!.probability - top.probability) < 1e-5, `crop ${alone!.probability} vs window ${top.probability}`);
  for (const [i, a] of scan.regions.entries()) {
    for (const b of scan.regions.slice(i + 1)) {
      const w = Math.max(0, Math.min(a.x, b.x) + 64 - Math.max(a.x, b.x));
      const h = Math.max(0, Math.min(a.y, b.y) + 64 - Math.max(a.y, b.y));
      assert.ok((w * h) / (2 * 64 * 64 - w * h) <= 0.25, 'top regions overlap');
    }
  }
});

test('a 16-bit 1024² frame scans with a configurable patch size and stride', async () => {
  const frames = await openDicomFrames(xa('XA1_UNC.dcm'));
  const scan = await scanFrame(runtime, await frames.readFrame(0), { patchSize: 128, stride: 128, topRegions: 3 });
  assert.equal(scan.windowCount, 8 * 8);
  assert.equal(scan.heatmap.length, 1024 * 1024);
  assert.equal(scan.regions.length, 3);
});

test('a 1024² frame at stride 32 goes through the model in a few large calls and scores as calls of 32 do', async () => {
  const frame = await (await openDicomFrames(xa('XA1_UNC.dcm'))).readFrame(0);
  const rows: number[] = [];
  const predict = runtime.predict.bind(runtime);
  runtime.predict = (images, batch, options) => {
    rows.push(batch);
    return predict(images, batch, options);
  };
  try {
    const scan = await scanFrame(runtime, frame, { patchSize: 64, stride: 32 });
    assert.equal(scan.windowCount, 31 * 31);
    assert.equal(windowsPerCall(runtime.imageSize), SCAN_WINDOWS_PER_CALL);
    const calls = Math.ceil(961 / SCAN_WINDOWS_PER_CALL);
    assert.deepEqual(rows, Array.from({ length: calls }, (_, i) => Math.min(SCAN_WINDOWS_PER_CALL, 961 - i * SCAN_WINDOWS_PER_CALL)), 'as many windows per call as the budget allows');
    rows.length = 0;
    const small = await scanFrame(runtime, frame, { patchSize: 64, stride: 32, batch: 32 });
    assert.equal(rows.length, 31);
    // Batched float32 inference may round differently between batch sizes; the heatmap is a mean of such scores.
    const diff = scan.heatmap.reduce((m, v, i) => Math.max(m, Math.abs(v - small.heatmap[i]!)), 0);
    assert.ok(diff <= 1e-5, `heatmaps differ by ${diff}`);
    assert.deepEqual(scan.regions.map((r) => [r.x, r.y]), small.regions.map((r) => [r.x, r.y]));
  } finally {
    runtime.predict = predict;
  }
});

test('a cine run is scanned frame by frame with progress per frame', async () => {
  const frames = await openDicomFrames(xa('XA_cine_96f_jpeg_baseline.dcm'));
  const seen: number[] = [];
  const cine = await scanCine(runtime, 3, frames.readFrame, { patchSize: 128, stride: 128, onFrame: (done) => seen.push(done) });
  assert.deepEqual(seen, [1, 2, 3]);
  assert.equal(cine.frames.length, 3);
  assert.equal(cine.frames[cine.peakFrame]!.maxProbability, Math.max(...cine.frames.map((f) => f.maxProbability)));
});

test('an empty frame and a frame smaller than the window are refused with typed errors', async () => {
  const is = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
  await assert.rejects(scanFrame(runtime, { width: 512, height: 512, pixels: new Uint16Array(512 * 512) }), is('empty-frame'));
  await assert.rejects(scanFrame(runtime, { width: 32, height: 512, pixels: new Uint8Array(32 * 512).fill(3) }), is('image-size-unexpected'));
});
