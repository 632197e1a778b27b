// The ingest channels end to end through the IPC registry: an import job with progress, per-file rejections and
// finish events; listings; frame pixels, dataset items' own images and thumbnails over the binary envelope; cancel.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createAppContext, closeAppContext } from '../app/context.ts';
import { sharedDataDir } from '../app/paths.ts';
import { encodePng } from '../png/png.ts';
import { createIpcRegistry, type CallContext, type Handlers } from '../ipc/registry.ts';
import { sha256Hex } from '../store/blobs.ts';
import { decodePixelFrame, encodePixelFrame } from '../../src-preload/pixel-frame.ts';
import { ingestHandlers } from './ipc.ts';

const caller: CallContext = { host: 'harness', origin: 'test' };

function setup() {
  const dataDir = mkdtempSync(join(tmpdir(), 'angio-ingest-ipc-'));
  const ctx = createAppContext({ appRoot: process.cwd(), dataDir, sharedDataDir: sharedDataDir(), host: 'harness', log: () => {} });
  const slice = ingestHandlers(ctx);
  const registry = createIpcRegistry({ invoke: slice.invoke, send: slice.send, pixels: slice.pixels } as unknown as Handlers);
  const events: { name: string; payload: Record<string, unknown> }[] = [];
  ctx.bus.subscribe((name, payload) => events.push({ name, payload: payload as Record<string, unknown> }));
  const finished = (jobId: string) =>
    new Promise<Record<string, unknown>>((resolve) => {
      const check = () => {
        const event = events.find((e) => e.name === 'job.finished' && e.payload.jobId === jobId);
        if (event) resolve(event.payload);
        else setTimeout(check, 20);
      };
      check();
    });
  return { ctx, registry, events, finished, cleanup: async () => (await closeAppContext(ctx), rmSync(dataDir, { recursive: true, force: true })) };
}

async function invoke<T>(registry: ReturnType<typeof createIpcRegistry>, channel: string, input: unknown): Promise<T> {
  const answer = await registry.invoke(channel, input, caller);
  assert.ok(answer.ok, `${channel} failed: ${JSON.stringify(!answer.ok && answer.error)}`);
  return answer.value as T;
}

test('an import job reports progress and rejections, then the library lists it and serves pixels', async () => {
  const { registry, events, finished, cleanup } = setup();
  const { jobId } = await invoke<{ jobId: string }>(registry, 'ingest.importFolder', { root: join(sharedDataDir(), 'dicom'), reader: 'dr-a' });
  const end = await finished(jobId);
  assert.equal(end.status, 'succeeded');
  assert.ok(events.some((e) => e.name === 'job.progress' && e.payload.jobId === jobId));
  const rejections = events.filter((e) => e.name === 'ingest.fileRejected').map((e) => e.payload.path);
  assert.deepEqual(rejections.sort(), ['misc/MR_truncated.dcm', 'misc/emri_small_jpeg_2k_lossless_too_short.dcm']);
  const log = await invoke<{ entries: { outcome: string }[] }>(registry, 'ingest.importLog', { jobId, outcomes: ['rejected'] });
  assert.equal(log.entries.length, 2);

  const { patients } = await invoke<{ patients: { id: number; instances: number }[] }>(registry, 'library.patients', {});
  const patient = patients.find((p) => p.instances === 8);
  assert.ok(patient);
  const { studies } = await invoke<{ studies: { id: number }[] }>(registry, 'library.studies', { patientId: patient.id });
  const { series } = await invoke<{ series: { id: number }[] }>(registry, 'library.series', { studyId: studies[0]?.id });
  const { instances } = await invoke<{ instances: { id: number; rows: number }[] }>(registry, 'library.instances', { seriesId: series[0]?.id });
  const instance = instances[0];
  assert.ok(instance);

  const frame = await registry.pixels('library.frame', { instanceId: instance.id, frame: 0 }, caller);
  assert.ok(frame.ok);
  // Through the same envelope the preload decodes: 16-bit stored values, 1024² of them, meta alongside.
  const { meta, data } = decodePixelFrame(encodePixelFrame(frame.value.meta, frame.value.bytes).buffer as ArrayBuffer);
  assert.deepEqual({ ...(meta as object) }, { ...(meta as object), width: 1024, height: 1024, format: 'gray16', bitsStored: 10 });
  assert.equal(data.byteLength, 1024 * 1024 * 2);
  const max = new Uint16Array(data).reduce((a, b) => Math.max(a, b), 0);
  assert.ok(max > 0 && max < 1024, 'values fit in 10 stored bits');

  const thumb = await registry.pixels('library.thumbnail', { instanceId: instance.id, size: 64 }, caller);
  assert.ok(thumb.ok);
  assert.deepEqual(thumb.value.meta, { width: 64, height: 64, format: 'gray8' });
  assert.equal(thumb.value.bytes.length, 64 * 64);

  const outOfRange = await registry.pixels('library.frame', { instanceId: instance.id, frame: 5 }, caller);
  assert.ok(!outOfRange.ok && outOfRange.error.code === 'frame-out-of-range');
  const bad = await registry.pixels('library.thumbnail', { size: 64 }, caller);
  assert.ok(!bad.ok && bad.error.code === 'invalid-input');
  await cleanup();
});

test('a running import can be cancelled', async () => {
  const { ctx, registry, finished, cleanup } = setup();
  const { jobId } = await invoke<{ jobId: string }>(registry, 'ingest.importFolder', { root: join(sharedDataDir(), 'p-adsd'), reader: null });
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(ctx.jobs.cancel(jobId));
  const end = await finished(jobId);
  assert.equal(end.status, 'cancelled');
  const items = ctx.store.db.prepare('SELECT count(*) AS n FROM dataset_items').get() as { n: number };
  assert.ok(items.n < 9600, 'stopped before the end');
  await cleanup();
});

test('ingest.importFiles imports exactly the chosen files, from several folders, as one job', async () => {
  const { registry, finished, cleanup } = setup();
  try {
    const chosen = [join(sharedDataDir(), 'dicom', 'xa', 'XA1_UNC.dcm'), join(sharedDataDir(), 'dicom', 'misc', 'MR_small.dcm')];
    const { jobId } = await invoke<{ jobId: string }>(registry, 'ingest.importFiles', { paths: chosen });
    const end = await finished(jobId);
    assert.equal(end.status, 'succeeded', JSON.stringify(end));
    assert.deepEqual(end.result, { total: 2, imported: 2, duplicate: 0, rejected: 0, unsupported: 0, document: 0, patches: 0, labelled: 0, splits: [], duplicateInFolder: 0 });
    const relative = await registry.invoke('ingest.importFiles', { paths: ['xa/XA1_UNC.dcm'] }, caller);
    assert.equal(!relative.ok && relative.error.code, 'import-path-relative');
    const { jobId: missingJob } = await invoke<{ jobId: string }>(registry, 'ingest.importFiles', { paths: [join(sharedDataDir(), 'dicom', 'xa', 'no-such.dcm')] });
    const missing = await finished(missingJob);
    assert.equal(missing.status, 'failed');
    assert.equal((missing.error as { code: string }).code, 'import-file-missing');
  } finally {
    await cleanup();
  }
});

test('library.itemImage serves a dataset item\'s own image: a PNG patch as stored, a DICOM item as its frame', async () => {
  const { ctx, registry, finished, cleanup } = setup();
  const patches = mkdtempSync(join(tmpdir(), 'angio-item-image-'));
  try {
    // A grey and a colour patch with known pixels.
    const grey = Uint8Array.from({ length: 40 * 24 }, (_, i) => (i * 7) % 256);
    const colour = Uint8Array.from({ length: 8 * 6 * 3 }, (_, i) => (i * 11) % 256);
    mkdirSync(join(patches, 'labeled', 'test', 'positive'), { recursive: true });
    const greyPng = encodePng(40, 24, 1, grey);
    const colourPng = encodePng(8, 6, 3, colour);
    writeFileSync(join(patches, 'labeled', 'test', 'positive', 'grey.png'), greyPng);
    writeFileSync(join(patches, 'labeled', 'test', 'positive', 'colour.png'), colourPng);
    const patchJob = await invoke<{ jobId: string }>(registry, 'ingest.importFolder', { root: patches });
    assert.equal((await finished(patchJob.jobId)).status, 'succeeded');
    const cine = await invoke<{ jobId: string }>(registry, 'ingest.importFiles', { paths: [join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm')] });
    assert.equal((await finished(cine.jobId)).status, 'succeeded');
    const item = (where: string) => ctx.store.db.prepare(`SELECT id, instance_id AS instanceId, frame_index AS frameIndex FROM dataset_items WHERE ${where}`).get() as { id: number; instanceId: number | null; frameIndex: number | null };
    const image = async (itemId: number) => {
      const answer = await registry.pixels('library.itemImage', { itemId }, caller);
      assert.ok(answer.ok, JSON.stringify(!answer.ok && answer.error));
      const { meta, data } = decodePixelFrame(encodePixelFrame(answer.value.meta, answer.value.bytes).buffer as ArrayBuffer);
      return { meta: meta as Record<string, unknown>, data: new Uint8Array(data) };
    };

    const greyShown = await image(item(`source_sha256 = '${sha256Hex(greyPng)}'`).id);
    assert.deepEqual(greyShown.meta, {
      width: 40, height: 24, format: 'gray8', bitsAllocated: 8, bitsStored: 8, photometric: 'MONOCHROME2',
      rescale: { slope: 1, intercept: 0 }, window: null, frames: 1, frameTimeMs: null,
    });
    assert.deepEqual(greyShown.data, grey, 'the patch\'s own pixels, unscaled');
    const colourShown = await image(item(`source_sha256 = '${sha256Hex(colourPng)}'`).id);
    assert.equal(colourShown.meta.format, 'rgb8');
    assert.equal(colourShown.meta.photometric, 'RGB');
    assert.deepEqual(colourShown.data, colour);

    // The cine's key frame as a dataset item: the same stored values as that frame of the run, as one image.
    const dicomItem = item("kind = 'dicom-frame'");
    assert.ok(dicomItem.instanceId !== null && dicomItem.frameIndex !== null);
    const run = await registry.pixels('library.frame', { instanceId: dicomItem.instanceId, frame: dicomItem.frameIndex }, caller);
    assert.ok(run.ok);
    const runMeta = run.value.meta as Record<string, unknown>;
    const frameShown = await image(dicomItem.id);
    assert.deepEqual(frameShown.meta, { ...runMeta, frames: 1, frameTimeMs: null });
    assert.equal(runMeta.frames, 96);
    assert.deepEqual(frameShown.data, new Uint8Array(run.value.bytes));

    const missing = await registry.pixels('library.itemImage', { itemId: 999_999 }, caller);
    assert.ok(!missing.ok && missing.error.code === 'item-not-found');
    const invalid = await registry.pixels('library.itemImage', { itemId: 0 }, caller);
    assert.ok(!invalid.ok && invalid.error.code === 'invalid-input');
  } finally {
    rmSync(patches, { recursive: true, force: true });
    await cleanup();
  }
});
