// The physical scale of patches cut from the app's boxes, end to end through the app's IPC channels: cine runs whose
// headers calibrate the pixels (ImagerPixelSpacing, DistanceSourceToPatient, DistanceSourceToDetector written by
// pydicom at test time) give patches that record their frame's millimetres per pixel and their side in millimetres;
// the split's export lists each image's scale; the model trained on it records the median side; and the scan of a
// frame with another calibration uses a window of that side in the frame's own pixels. pydicom reads the tags back
// and computes the expected millimetres per pixel, independently of the app's DICOM reader.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeAppContext, createAppContext } from '../app/context.ts';
import { composeHandlers } from '../app/handlers.ts';
import { projectRoot, sharedDataDir } from '../app/paths.ts';
import { decodeModelFile } from '../inference/index.ts';
import { createIpcRegistry } from '../ipc/registry.ts';
import { runPython } from '../testing/python-oracle.ts';
import { SHARED_CINE } from './testing/reidentified-cines.ts';

const PATIENTS = ['SCALE-A', 'SCALE-B', 'SCALE-C'];
/** The training runs' calibration, and another for the scanned frame: a different magnification and detector. */
const TRAINING_CALIBRATION = { imager: [0.3, 0.3], sod: 750, sid: 1000 };
const SCANNED_CALIBRATION = { imager: [0.2, 0.2], sod: 800, sid: 1100 };

/** Writes each file with new identifiers and the given calibration, then reads it back and computes mm per pixel. */
const CALIBRATED = `
import json, sys, pydicom
from pydicom.uid import generate_uid
job = json.load(sys.stdin)
out = {}
for f in job["files"]:
    ds = pydicom.dcmread(job["source"])
    ds.PatientID = f["patient"]
    ds.PatientName = "Scale^" + f["patient"]
    for key in ("StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"):
        setattr(ds, key, generate_uid(entropy_srcs=[f["patient"], key]))
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    c = f["calibration"]
    ds.ImagerPixelSpacing = [str(v) for v in c["imager"]]
    ds.DistanceSourceToPatient = str(c["sod"])
    ds.DistanceSourceToDetector = str(c["sid"])
    if "PixelSpacing" in ds:
        del ds.PixelSpacing
    ds.save_as(f["path"])
    back = pydicom.dcmread(f["path"], stop_before_pixels=True)
    ips = [float(v) for v in back.ImagerPixelSpacing]
    out[f["path"]] = (sum(ips) / 2) * float(back.DistanceSourceToPatient) / float(back.DistanceSourceToDetector)
print(json.dumps(out))
`;

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

test('patches from calibrated boxes record mm per pixel, the model records their side in mm, the scan converts it', { timeout: 900_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'angio-patch-scale-'));
  const folder = join(root, 'runs');
  const scanned = join(root, 'scanned.dcm');
  mkdirSync(folder);
  const files = [
    ...PATIENTS.map((patient) => ({ patient, path: join(folder, `${patient}.dcm`), calibration: TRAINING_CALIBRATION })),
    { patient: 'SCALE-SCAN', path: scanned, calibration: SCANNED_CALIBRATION },
  ];
  const expectedMm = runPython(CALIBRATED, { source: SHARED_CINE, files }) as Record<string, number>;
  const trainingMmPerPixel = expectedMm[files[0]!.path]!;
  const scannedMmPerPixel = expectedMm[scanned]!;
  assert.notEqual(trainingMmPerPixel.toFixed(4), scannedMmPerPixel.toFixed(4), 'the scanned frame has another calibration');

  const ctx = createAppContext({ appRoot: projectRoot(), dataDir: join(root, 'data'), sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
  const registry = createIpcRegistry(composeHandlers(ctx));
  const invoke = async <T>(channel: string, input: unknown): Promise<T> => {
    const answer = await registry.invoke(channel, input, { host: 'cli', origin: 'test' });
    assert.ok(answer.ok, `${channel}: ${JSON.stringify(answer)}`);
    return answer.value as T;
  };
  try {
    await invoke('ingest.importFolder', { root: folder, datasetFrames: 'none', reader: 'dr-scale' });
    await ctx.jobs.drain();
    const runs = ctx.store.db.prepare("SELECT id FROM instances WHERE kind = 'image' AND frames = 96 ORDER BY id").all() as { id: number }[];
    assert.equal(runs.length, 3);
    for (const { id } of runs) {
      await invoke('annotations.create', { instanceId: id, frame: 30, x: 200, y: 180, width: 48, height: 48, label: 'stenosis', grade: null, reader: 'dr-scale' });
      await invoke('annotations.create', { instanceId: id, frame: 60, x: 260, y: 240, width: 40, height: 48, label: 'stenosis', grade: null, reader: 'dr-scale' });
    }
    const recipe = await invoke<{ defaults: unknown }>('annotations.recipe', {});
    await invoke('annotations.generatePatches', { params: recipe.defaults, reader: 'dr-scale' });

    // Every patch: its frame's mm per pixel as pydicom computes it, and its cut square's side times that.
    const patches = ctx.store.db.prepare('SELECT item_id AS itemId, side, mm_per_pixel AS mmPerPixel, side_mm AS sideMm FROM annotation_patches ORDER BY item_id').all() as { itemId: number; side: number; mmPerPixel: number | null; sideMm: number | null }[];
    assert.equal(patches.length, 30);
    for (const p of patches) {
      assert.ok(p.mmPerPixel !== null && Math.abs(p.mmPerPixel - trainingMmPerPixel) < 1e-9, `patch ${p.itemId}: ${p.mmPerPixel} mm/px, pydicom ${trainingMmPerPixel}`);
      assert.ok(p.sideMm !== null && Math.abs(p.sideMm - p.side * trainingMmPerPixel) < 1e-9, `patch ${p.itemId}: side ${p.sideMm} mm for ${p.side} px`);
    }
    // A series' patches recut under new Clean Pixel Data masks record their scale again (patches cut before the
    // scale column existed have none until then).
    const seriesId = (ctx.store.db.prepare('SELECT series_id AS id FROM instances WHERE id = ?').get(runs[0]!.id) as { id: number }).id;
    ctx.store.db.prepare('UPDATE annotation_patches SET mm_per_pixel = NULL, side_mm = NULL WHERE instance_id = ?').run(runs[0]!.id);
    await invoke('viewer.setPixelMasks', { seriesId, masks: [{ x: 0, y: 0, width: 40, height: 20 }], reader: 'dr-scale' });
    const recut = ctx.store.db.prepare('SELECT side, mm_per_pixel AS mmPerPixel, side_mm AS sideMm FROM annotation_patches WHERE instance_id = ?').all(runs[0]!.id) as { side: number; mmPerPixel: number; sideMm: number }[];
    assert.equal(recut.length, 10);
    assert.ok(recut.every((p) => Math.abs(p.mmPerPixel - trainingMmPerPixel) < 1e-9 && Math.abs(p.sideMm - p.side * trainingMmPerPixel) < 1e-9), JSON.stringify(recut));

    // The split's export lists each image's scale beside the images.
    const built = await invoke<{ split: { id: number } }>('dataset.buildSplit', { name: 'scaled', ratios: { train: 1, val: 1, test: 1 }, seed: 3 });
    await invoke('dataset.lockSplit', { splitId: built.split.id });
    const source = await invoke<{ labeledRoot: string; unlabeledDir: string | null }>('dataset.trainingSource', { splitId: built.split.id });
    const scaleFile = JSON.parse(readFileSync(join(source.labeledRoot, 'patch-scale.json'), 'utf8')) as { files: Record<string, { mmPerPixel: number; sideMm: number }> };
    const byItem = new Map(patches.map((p) => [p.itemId, p]));
    assert.equal(Object.keys(scaleFile.files).length, 30);
    for (const [file, scale] of Object.entries(scaleFile.files)) {
      const itemId = Number(/(\d+)\.png$/.exec(file)![1]);
      assert.ok(existsSync(join(source.labeledRoot, file)), `${file} is an exported image`);
      assert.deepEqual(scale, { mmPerPixel: byItem.get(itemId)!.mmPerPixel, sideMm: byItem.get(itemId)!.sideMm });
    }

    // A model trained on the split records the median side of its training patches in millimetres.
    const trainSides = (ctx.store.db
      .prepare("SELECT p.side_mm AS sideMm FROM dataset_split_items s JOIN annotation_patches p ON p.item_id = s.item_id WHERE s.split_id = ? AND s.part = 'train'")
      .all(built.split.id) as { sideMm: number }[]).map((r) => r.sideMm);
    assert.equal(trainSides.length, 10);
    const config = { method: 'supervised', encoder: 'simple_cnn', imageSize: 32, batchSize: 5, seed: 0, finetune: { epochs: 2, patience: 2, learningRate: 3e-3 } };
    const { runId } = await invoke<{ runId: string }>('training.start', { config, dataset: { labeledRoot: source.labeledRoot, unlabeledDir: source.unlabeledDir } });
    await ctx.jobs.drain();
    const { runs: trained } = await invoke<{ runs: { id: string; status: string; error: unknown; files: { inferenceModel: string } }[] }>('training.listRuns', {});
    const run = trained.find((r) => r.id === runId)!;
    assert.equal(run.status, 'succeeded', JSON.stringify(run.error));
    const manifest = decodeModelFile(new Uint8Array(readFileSync(run.files.inferenceModel))).manifest;
    assert.ok(Math.abs(manifest.patchSideMm! - median(trainSides)) < 1e-9, `model ${manifest.patchSideMm} mm, median of the training patches ${median(trainSides)} mm`);

    // The scan of a frame with another calibration: a window of patchSideMm / that frame's mm per pixel pixels.
    const found = await invoke<{ kind: string; window: { pixels: number; millimetres: number | null; note: string } }>('inference.locate', { modelPath: run.files.inferenceModel, imagePath: scanned, frame: 30 });
    assert.equal(found.kind, 'scan');
    assert.equal(found.window.pixels, Math.round(manifest.patchSideMm! / scannedMmPerPixel));
    assert.equal(found.window.millimetres, manifest.patchSideMm);
    assert.match(found.window.note, /mm per pixel \(isocenter\)/);
    console.log(`patch scale: training frames ${trainingMmPerPixel.toFixed(4)} mm/px, model patch side ${manifest.patchSideMm!.toFixed(2)} mm, scanned frame ${scannedMmPerPixel.toFixed(4)} mm/px → ${found.window.pixels}-pixel window`);
  } finally {
    await closeAppContext(ctx);
    rmSync(root, { recursive: true, force: true });
  }
});
