// The Viewer's Predict channel ('inference.locate') on real images: a P-ADSD patch is read whole, exactly as
// 'inference.predict' reads it; the 512² cine frame is scanned, never squeezed into the model's input, and each
// candidate's probability and OOD state are the model's whole-image reading of that box cut out as a patch; the window follows the
// frame's physical scale where the model's patches and the frame's header both give one (header values written and
// read back by pydicom at test time), and stays in pixels, saying so, where either is missing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inferenceInvokes } from '../../../src-preload/channels/inference.ts';
import { closeAppContext, createAppContext, type AppContext } from '../../app/context.ts';
import { projectRoot, sharedDataDir } from '../../app/paths.ts';
import { encodePng } from '../../png/png.ts';
import { runPython } from '../../testing/python-oracle.ts';
import { readGreyImage } from '../image-source.ts';
import { InferenceService } from '../inference-service.ts';
import { inferenceHandlers } from '../ipc.ts';
import { encodeModelFile } from '../model-file/model-file.ts';
import { toGrey8 } from '../preprocess.ts';
import { fixtureModel } from '../testing/fixture-model.ts';
import { labelledPatches } from '../testing/padsd.ts';
import { frameScale, scanWindow } from './physical-scale.ts';

const callCtx = { host: 'cli' as const, origin: 'test' };
const XA = join(sharedDataDir(), 'dicom', 'xa');
const CINE = join(XA, 'XA_cine_96f_jpeg_baseline.dcm');
const FRAME = 30;
let dir: string;
let ctx: AppContext;
let service: InferenceService;
let handlers: ReturnType<typeof inferenceHandlers>;
let modelPath: string;
let scaledModelPath: string;
const PATCH_SIDE_MM = 25.6;

const locate = async (request: Record<string, unknown>) => {
  const input = inferenceInvokes['inference.locate'].input.parse(request);
  return inferenceInvokes['inference.locate'].output.parse(await handlers.invoke['inference.locate']!(input, callCtx));
};

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-locate-'));
  const model = await fixtureModel(7);
  modelPath = join(dir, 'model.angio');
  writeFileSync(modelPath, model.bytes);
  // The same weights with the patch side a run from the app's own boxes records.
  const { parts: _parts, formatVersion: _version, ...manifest } = model.file.manifest;
  scaledModelPath = join(dir, 'scaled.angio');
  writeFileSync(scaledModelPath, encodeModelFile({ ...manifest, patchSideMm: PATCH_SIDE_MM }, model.file.graphs));
  ctx = createAppContext({ appRoot: projectRoot(), dataDir: join(dir, 'data'), sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
  service = new InferenceService({ appRoot: ctx.appRoot });
  handlers = inferenceHandlers(ctx, service);
});

after(async () => {
  await closeAppContext(ctx);
  await service.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a patch-sized image keeps whole-image prediction: the same readout as inference.predict', async () => {
  const imagePath = labelledPatches('test', 1)[0]!.path;
  const found = await locate({ modelPath, imagePath });
  assert.equal(found.kind, 'patch');
  assert.deepEqual(found.kind === 'patch' && found.readout, await service.predict({ modelPath, imagePath }));
});

test('a cine frame is scanned: candidates are 64-pixel boxes whose scores are the model reading each box as a patch', async () => {
  const found = await locate({ modelPath, imagePath: CINE, frame: FRAME });
  assert.equal(found.kind, 'scan');
  if (found.kind !== 'scan') return;
  assert.deepEqual([found.width, found.height], [512, 512]);
  assert.ok(found.candidates.length >= 1);
  assert.equal(found.probability, found.candidates[0]!.probability, "the frame's score is its best candidate's");
  assert.equal(found.decision, found.probability >= found.threshold ? 'stenosis' : 'no stenosis');
  assert.deepEqual([found.window.pixels, found.window.millimetres], [64, null]);
  assert.match(found.window.note, /no physical scale is known for the model's training patches, so the window is in pixels/);
  const frame = toGrey8(await readGreyImage(CINE, FRAME));
  for (const [i, c] of found.candidates.entries()) {
    assert.equal(c.frame, FRAME);
    assert.deepEqual([c.width, c.height], [64, 64], `candidate ${i + 1} is one window, not the frame`);
    assert.ok(c.x >= 0 && c.y >= 0 && c.x + c.width <= 512 && c.y + c.height <= 512);
    if (i > 0) assert.ok(c.probability <= found.candidates[i - 1]!.probability, 'best first');
    assert.equal(c.reading, c.ood.outOfDistribution ? 'out of distribution (unlike the training images)' : c.probability >= found.threshold ? 'stenosis suspected' : 'no stenosis suspected');
    const crop = new Uint8Array(64 * 64);
    for (let r = 0; r < 64; r++) crop.set(frame.subarray((c.y + r) * 512 + c.x, (c.y + r) * 512 + c.x + 64), r * 64);
    const patchPath = join(dir, `candidate-${i + 1}.png`);
    writeFileSync(patchPath, encodePng(64, 64, 1, crop));
    const whole = await service.predict({ modelPath, imagePath: patchPath });
    assert.ok(Math.abs(whole.probability - c.probability) < 1e-5, `candidate ${i + 1}: scan ${c.probability} vs the box read as a patch ${whole.probability}`);
    // The dropout masks depend on the candidate's place in the batch, so only the spread's presence is compared.
    assert.ok(c.uncertainty > 0 && Number.isFinite(c.uncertainty), `candidate ${i + 1}: dropout spread ${c.uncertainty}`);
    assert.equal(whole.ood.outOfDistribution, c.ood.outOfDistribution, `candidate ${i + 1}: OOD state`);
  }
});

/** Calibrated copies of the 1024² XA1 frame written by pydicom, and the mm per pixel pydicom reads back from them. */
function calibratedCopies(): { isocenter: string; spacing: string; expected: { isocenter: number; spacing: number } } {
  const isocenter = join(dir, 'isocenter.dcm');
  const spacing = join(dir, 'spacing.dcm');
  const expected = runPython<{ isocenter: number; spacing: number }>(
    `
import json, sys, pydicom
paths = json.load(sys.stdin)
ds = pydicom.dcmread(paths["source"])
ds.ImagerPixelSpacing = [0.15, 0.15]
ds.DistanceSourceToPatient = 600
ds.DistanceSourceToDetector = 900
ds.save_as(paths["isocenter"])
ds = pydicom.dcmread(paths["source"])
ds.PixelSpacing = [0.2, 0.2]
ds.save_as(paths["spacing"])
a = pydicom.dcmread(paths["isocenter"])
b = pydicom.dcmread(paths["spacing"])
print(json.dumps({"isocenter": float(a.ImagerPixelSpacing[0]) * float(a.DistanceSourceToPatient) / float(a.DistanceSourceToDetector), "spacing": float(b.PixelSpacing[0])}))
`,
    { source: join(XA, 'XA1_UNC.dcm'), isocenter, spacing },
  );
  return { isocenter, spacing, expected };
}

test("with the patches' side in mm and a calibrated frame, the window covers the same anatomy; without either, pixels", async () => {
  const copies = calibratedCopies();
  const isoFound = await locate({ modelPath: scaledModelPath, imagePath: copies.isocenter });
  assert.equal(isoFound.kind, 'scan');
  if (isoFound.kind !== 'scan') return;
  const pixels = Math.round(PATCH_SIDE_MM / copies.expected.isocenter);
  assert.deepEqual([isoFound.window.pixels, isoFound.window.millimetres], [pixels, PATCH_SIDE_MM]);
  assert.match(isoFound.window.note, /mm per pixel \(isocenter\)/);
  for (const c of isoFound.candidates) assert.deepEqual([c.width, c.height], [pixels, pixels]);

  // PixelSpacing alone is already in the patient; the window follows it (checked without running a second scan).
  const spacingScale = frameScale({ imagerPixelSpacing: null, pixelSpacing: [copies.expected.spacing, copies.expected.spacing], distanceSourceToPatient: null, distanceSourceToDetector: null });
  assert.deepEqual(scanWindow(64, PATCH_SIDE_MM, spacingScale, { width: 1024, height: 1024 }).pixels, Math.round(PATCH_SIDE_MM / copies.expected.spacing));

  // The P-ADSD model knows no patch side: the calibrated frame is still scanned in pixels, and the readout says so.
  const pixelFound = await locate({ modelPath, imagePath: copies.spacing });
  assert.equal(pixelFound.kind === 'scan' && pixelFound.window.pixels, 64);
  assert.match(pixelFound.kind === 'scan' ? pixelFound.window.note : '', /so the window is in pixels/);
});
