// Clean Pixel Data through the app: a real XA image imported, findings computed by a real model file, then research
// exports before and after masks are set on its series over the viewer's IPC channel. pydicom reads both Secondary
// Captures: inside the masks every sample is zero, outside them the masked export equals the unmasked one; the masked
// export records 113101 in (0012,0064), the unmasked one says YES in (0028,0301) when the source does not say NO, and
// the study PDF (pdftotext) says what was done. Patches cut from boxes on a masked series come from the masked frame.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { AnnotationService, DEFAULT_PATCH_PARAMS } from '../annotations/index.ts';
import { closeAppContext, createAppContext, type AppContext } from '../app/context.ts';
import { decodePng } from '../png/png.ts';
import { sharedDataDir } from '../app/paths.ts';
import { InferenceService } from '../inference/inference-service.ts';
import { fixtureModel } from '../inference/testing/fixture-model.ts';
import { IngestService } from '../ingest/service.ts';
import { createIpcRegistry, type CallContext, type Handlers } from '../ipc/registry.ts';
import { ReportsService } from '../reports/service.ts';
import { pdfText } from '../reports/testing/oracles.ts';
import { runPython } from '../testing/python-oracle.ts';
import { viewerHandlers } from '../viewer/ipc.ts';
import { BURNED_IN_MASKED_NOTE, BURNED_IN_UNMASKED_NOTE, type MaskRect } from './pixel-masks.ts';

const SOURCE = 'XA1_JPLY.dcm';
const caller: CallContext = { host: 'harness', origin: 'test' };
const noJob = { progress: () => {}, throwIfCancelled: () => {} };

let dir: string;
let ctx: AppContext;
let ingest: IngestService;
let inference: InferenceService;
let reports: ReportsService;
let registry: ReturnType<typeof createIpcRegistry>;
let target: { instanceId: number; seriesId: number; studyId: number; rows: number; columns: number };

async function invoke<T>(channel: string, input: unknown): Promise<T> {
  const answer = await registry.invoke(channel, input, caller);
  assert.ok(answer.ok, `${channel} failed: ${JSON.stringify(!answer.ok && answer.error)}`);
  return answer.value as T;
}

interface ScReading { burnedIn: string | null; codes: string[]; rows: number; columns: number; insideMax: number; outsideDiffering: number; outsideTotal: number; insideTotal: number }

/** pydicom's comparison of the masked Secondary Capture with the unmasked one, sample by sample. */
function compareCaptures(unmasked: string, masked: string, masks: MaskRect[]): { unmasked: ScReading; masked: ScReading } {
  return runPython(
    String.raw`
import json, sys, numpy as np, pydicom
args = json.loads(sys.stdin.read())
a = pydicom.dcmread(args['unmasked']); b = pydicom.dcmread(args['masked'])
pa = a.pixel_array.astype(int); pb = b.pixel_array.astype(int)
inside = np.zeros(pb.shape[:2], dtype=bool)
for m in args['masks']:
    inside[m['y']:m['y'] + m['height'], m['x']:m['x'] + m['width']] = True
def reading(ds, px):
    codes = [str(i.CodeValue) for i in ds.get('DeidentificationMethodCodeSequence', [])]
    return {'burnedIn': ds.get('BurnedInAnnotation'), 'codes': codes, 'rows': int(ds.Rows), 'columns': int(ds.Columns),
            'insideMax': int(px[inside].max()), 'insideTotal': int(inside.sum()),
            'outsideDiffering': int((pa[~inside] != pb[~inside]).any(axis=-1).sum()), 'outsideTotal': int((~inside).sum())}
print(json.dumps({'unmasked': reading(a, pa), 'masked': reading(b, pb)}))
`,
    { unmasked, masked, masks },
  );
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-pixel-masks-'));
  const dataDir = join(dir, 'data');
  ctx = createAppContext({ appRoot: process.cwd(), dataDir, sharedDataDir: sharedDataDir(), host: 'harness', log: () => {} });
  const slice = viewerHandlers(ctx);
  registry = createIpcRegistry({ invoke: slice.invoke, send: slice.send, pixels: slice.pixels } as unknown as Handlers);
  ingest = new IngestService({ store: ctx.store, dataDir });
  const counts = await ingest.runImport('xa', { root: join(sharedDataDir(), 'dicom', 'xa'), files: [SOURCE] }, noJob);
  assert.equal(counts.imported, 1, JSON.stringify(ingest.importLog('xa', null)));
  target = ctx.store.db
    .prepare("SELECT i.id AS instanceId, i.series_id AS seriesId, r.study_id AS studyId, i.rows, i.columns FROM instances i JOIN series r ON r.id = i.series_id WHERE i.kind = 'image'")
    .get() as typeof target;
  const model = await fixtureModel(7);
  const modelPath = join(model.dir, 'model.angio');
  writeFileSync(modelPath, model.bytes);
  inference = new InferenceService({ appRoot: process.cwd() });
  reports = new ReportsService({ store: ctx.store, dataDir, ingest, inference });
  await reports.computeFindings({ studyId: target.studyId, modelPath, targets: [{ instanceId: target.instanceId, frame: 0 }], reader: 'dr-test' });
  rmSync(model.dir, { recursive: true, force: true });
});

after(async () => {
  await inference?.close();
  ingest?.close();
  if (ctx) await closeAppContext(ctx);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function researchExport(name: string): Promise<{ sc: string; pdfWords: string }> {
  const folder = join(dir, 'exports', name);
  mkdirSync(folder, { recursive: true });
  const { files } = await reports.exportStudyDicom({ studyId: target.studyId, folder, name, mode: 'research', reader: null });
  const sc = files.find((f) => f.kind === 'sc');
  assert.ok(sc, 'a Secondary Capture is written');
  const pdf = await reports.exportStudyPdf({ studyId: target.studyId, folder, name, identified: false, reader: null });
  return { sc: sc.path, pdfWords: pdfText(pdf.path).replace(/\s+/g, ' ') };
}

test('masks set over the channel are kept per series, and zero their pixels in every research export, leaving the rest as it was', async () => {
  const before = await invoke<{ burnedIn: string; masks: MaskRect[]; note: string | null }>('viewer.pixelMasks', { seriesId: target.seriesId });
  assert.deepEqual(before.masks, []);
  const unmasked = await researchExport('unmasked');

  const masks: MaskRect[] = [
    { x: 0, y: 0, width: Math.floor(target.columns / 3), height: Math.floor(target.rows / 8) },
    { x: Math.floor(target.columns / 2), y: Math.floor(target.rows / 2), width: 40, height: 25 },
  ];
  const set = await invoke<{ masks: MaskRect[]; note: string | null }>('viewer.setPixelMasks', { seriesId: target.seriesId, masks, reader: 'dr-test' });
  assert.deepEqual(set.masks, masks);
  assert.deepEqual((await invoke<{ masks: MaskRect[] }>('viewer.pixelMasks', { seriesId: target.seriesId })).masks, masks, 'the masks are saved in the catalog');
  const audited = ctx.store.db.prepare("SELECT reader FROM audit_log WHERE action = 'deid.pixelMasks' AND object_id = ?").get(String(target.seriesId)) as { reader: string } | undefined;
  assert.equal(audited?.reader, 'dr-test', 'setting masks is audited');
  const masked = await researchExport('masked');

  const reading = compareCaptures(unmasked.sc, masked.sc, masks);
  assert.ok(reading.masked.insideTotal > 0 && reading.masked.outsideTotal > 0);
  assert.equal(reading.masked.insideMax, 0, 'every sample inside the masks is zero');
  assert.ok(reading.unmasked.insideMax > 0, 'the unmasked export has image there');
  assert.equal(reading.masked.outsideDiffering, 0, 'outside the masks the masked export equals the unmasked one');
  assert.ok(reading.masked.codes.includes('113101') && !reading.unmasked.codes.includes('113101'), 'Clean Pixel Data (113101) only where masks were applied');
  assert.equal(reading.masked.burnedIn, 'NO');
  assert.equal(reading.unmasked.burnedIn, before.burnedIn === 'NO' ? 'NO' : 'YES', 'an unmasked export of a series that does not say NO says YES');
  if (before.burnedIn !== 'NO') assert.ok(unmasked.pdfWords.includes(BURNED_IN_UNMASKED_NOTE), 'the unmasked PDF says burned-in text may show');
  assert.ok(masked.pdfWords.includes(BURNED_IN_MASKED_NOTE), 'the masked PDF says the masks were applied');
});

test('patches cut from boxes on a masked series are cut from the masked frame', async () => {
  const whole: MaskRect[] = [{ x: 0, y: 0, width: target.columns, height: target.rows }];
  await invoke('viewer.setPixelMasks', { seriesId: target.seriesId, masks: whole, reader: 'dr-test' });
  const annotations = new AnnotationService({ store: ctx.store, dataDir: join(dir, 'data') });
  annotations.create({ instanceId: target.instanceId, frame: 0, shape: 'box', x: Math.floor(target.columns / 3), y: Math.floor(target.rows / 3), width: 40, height: 40, label: 'stenosis', grade: null, reader: 'dr-test' });
  const set = await annotations.generatePatches(DEFAULT_PATCH_PARAMS, { instanceIds: [target.instanceId] }, 'dr-test');
  const made = set.patches.filter((p) => !p.existing);
  assert.ok(made.length > 0, 'patches were cut');
  for (const patch of made) {
    const sha = (ctx.store.db.prepare('SELECT blob_sha256 AS sha FROM dataset_items WHERE id = ?').get(patch.itemId) as { sha: string }).sha;
    const png = decodePng(annotations.blobs.read(sha), `patch ${patch.itemId}`);
    assert.ok(png.pixels.every((v) => v === 0), `patch ${patch.itemId} holds unmasked pixels`);
  }
});

test('masks outside the image grid or too many are refused with a typed error; an empty list removes them', async () => {
  const bad = await registry.invoke('viewer.setPixelMasks', { seriesId: target.seriesId, masks: [{ x: -1, y: 0, width: 5, height: 5 }], reader: null }, caller);
  assert.equal(bad.ok, false);
  const many = Array.from({ length: 65 }, (_, i) => ({ x: i, y: 0, width: 1, height: 1 }));
  assert.equal((await registry.invoke('viewer.setPixelMasks', { seriesId: target.seriesId, masks: many, reader: null }, caller)).ok, false);
  const missing = await registry.invoke('viewer.setPixelMasks', { seriesId: 999_999, masks: [], reader: null }, caller);
  assert.equal(!missing.ok && missing.error.code, 'series-not-found');
  const cleared = await invoke<{ masks: MaskRect[] }>('viewer.setPixelMasks', { seriesId: target.seriesId, masks: [], reader: 'dr-test' });
  assert.deepEqual(cleared.masks, []);
});
