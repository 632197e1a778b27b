// Boxes to patches on the real 96-frame cine imported through ingest: boxes keep frame and patient and are audited;
// two boxes on two frames make the recipe's patches (count, size, position), whose pixels match the frame cut and
// resized by numpy (from our decoder and from pydicom's); boxes round-trip through VOC XML; a heatmap peaking on a
// known box scores a hit; and a patient-level split keeps every patch of a patient together.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { decodePng } from '../png/png.ts';
import { IngestService } from '../ingest/service.ts';
import { buildPatientSplit } from '../splits/index.ts';
import { openStore, type Store } from '../store/database.ts';
import { runPython } from '../testing/python-oracle.ts';
import { AnnotationService } from './service.ts';
import { DEFAULT_PATCH_PARAMS } from './patch-recipe.ts';

const CINE = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');
let dir: string;
let store: Store;
let ingest: IngestService;
let service: AnnotationService;
let cine: number;
let xa1: number[];
const noProgress = { progress: () => {}, throwIfCancelled: () => {}, rejected: () => {} };

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-annotations-'));
  store = openStore(dir);
  ingest = new IngestService({ store, dataDir: dir });
  // The cine (one patient) and the XA1 encodings (another patient): two patients for the split.
  await ingest.runImport('job-xa', { root: join(sharedDataDir(), 'dicom', 'xa'), datasetFrames: 'key' }, noProgress);
  const images = store.db.prepare("SELECT id, frames, transfer_syntax AS ts FROM instances WHERE kind = 'image' ORDER BY id").all() as { id: number; frames: number; ts: string }[];
  cine = images.find((i) => i.frames === 96)!.id;
  xa1 = images.filter((i) => i.frames === 1).map((i) => i.id);
  service = new AnnotationService({ store, dataDir: dir });
});

after(() => {
  ingest.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const patientOf = (instanceId: number) =>
  (store.db.prepare('SELECT st.patient_id AS id FROM instances i JOIN series se ON se.id = i.series_id JOIN studies st ON st.id = se.study_id WHERE i.id = ?').get(instanceId) as { id: number }).id;

test('boxes are stored with their frame and patient, edits check the revision, and every change is audited', () => {
  const box = service.create({ instanceId: cine, frame: 10, shape: 'box', x: 100, y: 100, width: 40, height: 40, label: 'Stenosis', grade: null, reader: 'reader-a' });
  assert.equal(box.label, 'stenosis', 'class names are spelt as the class list spells them');
  assert.equal(box.patientId, patientOf(cine));
  const moved = service.update(box.id, { x: 110, revision: 1, reader: 'reader-b' });
  assert.deepEqual([moved.x, moved.revision], [110, 2]);
  assert.throws(() => service.update(box.id, { x: 120, revision: 1, reader: 'reader-a' }), { code: 'box-changed' });
  assert.throws(() => service.update(box.id, { width: 500, revision: 2, reader: 'reader-a' }), { code: 'box-outside-frame' });
  assert.throws(() => service.create({ ...box, frame: 96, reader: null }), { code: 'frame-out-of-range' });
  assert.throws(() => service.create({ ...box, label: 'occlusion', reader: null }), { code: 'unknown-class' });
  assert.equal(service.update(box.id, { grade: '> 70 %', revision: 2, reader: 'reader-a' }).grade, '>70%');
  service.remove(box.id, 'reader-b');
  assert.deepEqual(service.history(box.id).map((c) => [c.action, c.revision, c.reader]), [['create', 1, 'reader-a'], ['update', 2, 'reader-b'], ['update', 3, 'reader-a'], ['delete', 4, 'reader-b']]);
  const audit = store.db.prepare("SELECT action, reader FROM audit_log WHERE object_type = 'annotation-box' AND object_id = ? ORDER BY id").all(String(box.id)) as { action: string; reader: string }[];
  assert.deepEqual(audit.map((a) => a.action), ['annotation.create', 'annotation.update', 'annotation.update', 'annotation.delete']);
  assert.deepEqual(service.boxes({ instanceId: cine }), []);
});

test('two boxes on two cine frames make the recipe\'s patches, whose pixels numpy reproduces from the frame', async () => {
  const a = service.create({ instanceId: cine, frame: 30, shape: 'box', x: 200, y: 180, width: 60, height: 40, label: 'stenosis', grade: null, reader: 'reader-a' });
  const b = service.create({ instanceId: cine, frame: 60, shape: 'box', x: 480, y: 250, width: 30, height: 50, label: 'stenosis', grade: null, reader: 'reader-a' });
  const set = await service.generatePatches(DEFAULT_PATCH_PARAMS, { instanceIds: [cine] }, 'reader-a');
  const made = set.patches.map((p) => `${p.frame} ${p.boxId === a.id ? 'a' : 'b'} ${p.role} ${p.label} ${p.x},${p.y} ${p.side}`);
  assert.deepEqual(made, [
    '30 a positive positive 200,170 60', '30 a left negative 140,170 60', '30 a right negative 260,170 60', '30 a above negative 200,110 60', '30 a below negative 200,230 60',
    '60 b positive positive 462,250 50', '60 b left negative 412,250 50', '60 b above negative 462,200 50', '60 b below negative 462,300 50',
  ]);
  assert.deepEqual({ ...set.counts, skipped: set.counts.skipped }, { boxes: 2, frames: 2, positive: 2, negative: 7, background: 0, existing: 0, skipped: { 'right: crosses-edge': 1 } });
  const items = store.db
    .prepare(
      `SELECT d.id, d.kind, d.width, d.height, d.patient_id AS patientId, d.study_id AS studyId, l.name AS label, d.blob_sha256 AS sha, p.instance_id AS instanceId, p.frame_index AS frame
       FROM annotation_patches p JOIN dataset_items d ON d.id = p.item_id JOIN labels l ON l.id = d.label_id WHERE p.patch_set_id = ? ORDER BY d.id`,
    )
    .all(set.patchSetId) as { id: number; kind: string; width: number; height: number; patientId: number; studyId: number; label: string; sha: string; instanceId: number; frame: number }[];
  assert.equal(items.length, 9);
  for (const item of items) {
    assert.deepEqual([item.kind, item.width, item.height, item.patientId, item.instanceId], ['png', 64, 64, patientOf(cine), cine]);
    const png = decodePng(ingest.blobs.read(item.sha));
    assert.deepEqual([png.width, png.height, png.channels, png.bitDepth], [64, 64, 1, 8]);
  }
  assert.deepEqual(items.map((i) => i.label), ['positive', 'negative', 'negative', 'negative', 'negative', 'positive', 'negative', 'negative', 'negative']);

  // numpy cuts and resizes the same squares (a) from the frame our decoder gave, (b) from pydicom's own decoding.
  const frames = { 30: await service.greyFrame(cine, 30), 60: await service.greyFrame(cine, 60) };
  const squares = set.patches.map((p) => ({ frame: p.frame, x: p.x, y: p.y, side: p.side }));
  const oracle = runPython<{ fromOurs: number[][]; fromPydicom: number[][] }>(
    `
import json, sys, numpy as np, pydicom
data = json.load(sys.stdin)
def weights(n, m):
    r = n / m
    j = np.arange(m)[:, None]; i = np.arange(n)[None, :]
    if r >= 1:
        return np.clip(np.minimum((j + 1) * r, i + 1) - np.maximum(j * r, i), 0, None) / r
    W = np.zeros((m, n)); c = np.clip((np.arange(m) + 0.5) * r - 0.5, 0, n - 1)
    i0 = np.floor(c).astype(int); f = c - i0
    W[np.arange(m), i0] += 1 - f; W[np.arange(m), np.minimum(i0 + 1, n - 1)] += f
    return W
def cut(frame, s):
    W = weights(s['side'], 64)
    patch = frame[s['y']:s['y'] + s['side'], s['x']:s['x'] + s['side']].astype(np.float64)
    return np.clip(np.rint(W @ patch @ W.T), 0, 255).astype(int).ravel().tolist()
ours = {k: np.array(v, dtype=np.uint8).reshape(512, 512) for k, v in data['frames'].items()}
ds = pydicom.dcmread(data['path'])
assert ds.BitsAllocated == 8 and ds.PhotometricInterpretation == 'MONOCHROME2'
theirs = ds.pixel_array
print(json.dumps({'fromOurs': [cut(ours[str(s['frame'])], s) for s in data['squares']], 'fromPydicom': [cut(theirs[s['frame']], s) for s in data['squares']]}))
`,
    { path: CINE, squares, frames: { 30: Array.from(frames[30].pixels), 60: Array.from(frames[60].pixels) } },
  );
  items.forEach((item, k) => {
    const patch = decodePng(ingest.blobs.read(item.sha)).pixels;
    const fromOurs = oracle.fromOurs[k]!.map((v, i) => Math.abs(v - patch[i]!));
    assert.ok(Math.max(...fromOurs) <= 1, `patch ${k}: numpy on our frame differs by up to ${Math.max(...fromOurs)}`);
    const fromPydicom = oracle.fromPydicom[k]!.map((v, i) => Math.abs(v - patch[i]!));
    const mean = fromPydicom.reduce((s, d) => s + d, 0) / fromPydicom.length;
    assert.ok(mean < 1 && Math.max(...fromPydicom) <= 4, `patch ${k}: numpy on pydicom's frame differs by ${mean.toFixed(2)} on average, ${Math.max(...fromPydicom)} at most`);
  });

  const again = await service.generatePatches(DEFAULT_PATCH_PARAMS, { instanceIds: [cine] }, 'reader-a');
  assert.equal(again.counts.existing, 9, 'the same recipe and parameters make no second copy');
  assert.deepEqual(again.patches.map((p) => p.itemId), set.patches.map((p) => p.itemId));
  const withBackground = await service.generatePatches({ ...DEFAULT_PATCH_PARAMS, background: { ...DEFAULT_PATCH_PARAMS.background, perFrame: 3 } }, { instanceIds: [cine] }, 'reader-a');
  assert.equal(withBackground.counts.background, 6);
  assert.equal(service.patchSets().length, 3);
});

test('boxes round-trip through VOC XML: export, delete, import give the same frames, geometry and labels', () => {
  const before = service.boxes({ instanceId: cine });
  const exported = service.exportBoxes('voc', { instanceIds: [cine] }, 'reader-a');
  assert.equal(exported.files.length, 2);
  for (const b of before) service.remove(b.id, 'reader-a');
  const imported = exported.files.flatMap((f) => service.importBoxes('voc', f.text, { reader: 'reader-b', source: f.name }));
  const shape = (list: typeof before) => list.map((b) => [b.frame, b.shape, b.x, b.y, b.width, b.height, b.label, b.grade, b.reader]).sort();
  assert.deepEqual(shape(imported), shape(before));
  assert.deepEqual(shape(service.boxes({ instanceId: cine })), shape(before));
  // An ADSD file names its own image: it goes onto the frame the user has open.
  const onFrame = service.importBoxes('voc', exported.files[0]!.text.replace(/<filename>[^<]*<\/filename>/, '<filename>14_002_5_0016.bmp</filename>'), { target: { instanceId: cine, frame: 5 }, reader: 'reader-b' });
  assert.equal(onFrame[0]!.frame, 5);
  service.remove(onFrame[0]!.id, 'reader-b');
  assert.throws(() => service.importBoxes('voc', exported.files[0]!.text.replace('<width>512</width>', '<width>1024</width>'), { reader: null }), { code: 'box-file-size' });
  const csv = service.exportBoxes('csv', { instanceIds: [cine] }, null).files[0]!.text;
  assert.equal(csv.trim().split('\r\n').length, 3);
});

test('full-frame scoring of a heatmap peaking on a known box gives the expected hit', async () => {
  const boxes = service.boxes({ instanceId: cine });
  const onThirty = boxes.find((b) => b.frame === 30)!;
  const seen: string[] = [];
  const score = await service.evaluate(
    async ({ instanceId, frame, dicomPath }) => {
      seen.push(`${instanceId}:${frame}:${dicomPath.includes('blobs') ? 'blob' : dicomPath}`);
      const heatmap = new Float32Array(512 * 512).fill(0.05);
      if (frame === 30) {
        const cx = onThirty.x + onThirty.width / 2;
        const cy = onThirty.y + onThirty.height / 2;
        for (let y = 0; y < 512; y++) for (let x = 0; x < 512; x++) heatmap[y * 512 + x] = Math.max(0.05, 0.9 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 300));
      }
      return { width: 512, height: 512, heatmap };
    },
    { instanceIds: [cine] },
    { minScore: 0.5 },
  );
  assert.deepEqual(seen.sort(), [`${cine}:30:blob`, `${cine}:60:blob`]);
  assert.equal(score.boxes, 2);
  assert.deepEqual(score.candidates.map((c) => [c.frame, c.outcome]), [[`instance ${cine} frame 31`, 'hit']]);
  assert.deepEqual(score.froc, [{ threshold: score.candidates[0]!.score, sensitivity: 0.5, fpPerFrame: 0, hits: 1, falsePositives: 0 }]);
});

test('a model\'s evaluation is kept: asked again it is reused without scanning, until a box changes or another model is asked', async () => {
  const scans: number[] = [];
  const flat = async ({ frame }: { frame: number }) => (scans.push(frame), { width: 512, height: 512, heatmap: new Float32Array(512 * 512).fill(frame / 100) });
  const params = { patchSize: 64, stride: 32, hitMargin: 0, fpRates: [1, 2], instanceIds: [cine] };
  const model = { path: '/models/a.angio', version: 'aaaaaaaaaaaaaaaa' };
  assert.equal(service.evaluationStatus().latest, null);
  const first = await service.evaluateModel(model, flat, params);
  assert.deepEqual([first.reused, scans.length, first.score.frames, first.score.boxes], [false, 2, 2, 2]);
  const again = await service.evaluateModel(model, flat, params);
  assert.deepEqual([again.reused, again.id, scans.length], [true, first.id, 2], 'the kept evaluation, no new scan');
  assert.deepEqual(again.score, first.score);
  assert.equal((await service.evaluateModel(model, flat, params, true)).reused, false, 'fresh asks for a new scan');
  assert.equal((await service.evaluateModel({ ...model, version: 'bbbbbbbbbbbbbbbb' }, flat, params)).reused, false, 'another model version is scanned');
  assert.equal((await service.evaluateModel(model, flat, { ...params, stride: 16 })).reused, false, 'other scan parameters are scanned');
  const status = service.evaluationStatus();
  assert.deepEqual([status.boxes, status.framesWithBoxes, status.latest?.params.stride, status.latest?.current], [2, 2, 16, true]);

  const box = service.boxes({ instanceId: cine })[0]!;
  const moved = service.update(box.id, { x: box.x + 1, revision: box.revision, reader: 'reader-a' });
  assert.equal(service.evaluationStatus().latest?.current, false, 'a moved box makes the kept evaluation stale');
  const count = scans.length;
  assert.equal((await service.evaluateModel(model, flat, params)).reused, false, 'changed boxes are scanned again');
  assert.equal(scans.length, count + 2);
  service.update(box.id, { x: box.x, revision: moved.revision, reader: 'reader-a' });
});

test('a patient-level split keeps every patch of a patient in one part', async () => {
  for (const [k, instanceId] of xa1.slice(0, 3).entries()) {
    service.create({ instanceId, frame: 0, shape: k === 0 ? 'point' : 'box', x: 300 + 40 * k, y: 400, width: 64, height: 64, label: 'stenosis', grade: null, reader: 'reader-a' });
  }
  await service.generatePatches(DEFAULT_PATCH_PARAMS, {}, 'reader-a');
  const rows = store.db
    .prepare(`SELECT d.id, d.patient_id AS patientId, l.name AS label FROM dataset_items d LEFT JOIN labels l ON l.id = d.label_id`)
    .all() as { id: number; patientId: number | null; label: string | null }[];
  const patchIds = new Set((store.db.prepare('SELECT item_id AS id FROM annotation_patches').all() as { id: number }[]).map((r) => r.id));
  const patientsWithPatches = new Set(rows.filter((r) => patchIds.has(r.id)).map((r) => r.patientId));
  assert.equal(patientsWithPatches.size, 2, 'patches come from the cine patient and the XA1 patient');
  for (const seed of [1, 2, 3, 4]) {
    const split = buildPatientSplit(
      rows.map((r) => ({ itemId: String(r.id), patientId: r.patientId === null ? null : String(r.patientId), label: r.label === 'positive' ? 1 : r.label === 'negative' ? 0 : null })),
      { train: 0.5, val: 0.25, test: 0.25 },
      seed,
    );
    for (const patient of patientsWithPatches) {
      const parts = new Set(rows.filter((r) => r.patientId === patient).map((r) => split.assignment.get(String(r.id))));
      assert.equal(parts.size, 1, `seed ${seed}: patient ${patient}'s items sit in ${[...parts].join(' and ')}`);
    }
  }
});
