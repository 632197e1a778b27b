// The inference channels end to end on a real app context: readouts and maps validate against the contract,
// a cine scan runs as a job with progress, and bad inputs come back as typed errors, not crashes.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { inferenceInvokes, inferencePixels } from '../../src-preload/channels/inference.ts';
import { closeAppContext, createAppContext, type AppContext } from '../app/context.ts';
import { projectRoot, sharedDataDir } from '../app/paths.ts';
import { AppError } from '../ipc/app-error.ts';
import { InferenceService } from './inference-service.ts';
import { inferenceHandlers } from './ipc.ts';
import { fixtureModel } from './testing/fixture-model.ts';
import { labelledPatches } from './testing/padsd.ts';

const callCtx = { host: 'cli' as const, origin: 'test' };
const cine = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');
let ctx: AppContext;
let service: InferenceService;
let handlers: ReturnType<typeof inferenceHandlers>;
let modelPath: string;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-inference-ipc-'));
  modelPath = join(dir, 'model.angio-inference');
  writeFileSync(modelPath, (await fixtureModel(7)).bytes);
  ctx = createAppContext({ appRoot: projectRoot(), dataDir: join(dir, 'data'), sharedDataDir: sharedDataDir(), host: 'cli', log: () => undefined });
  service = new InferenceService({ appRoot: ctx.appRoot });
  handlers = inferenceHandlers(ctx, service);
});
after(async () => {
  await closeAppContext(ctx);
  await service.close();
});

test('inference.predict answers a contract-valid readout for a P-ADSD patch', async () => {
  const imagePath = labelledPatches('test', 1)[0]!.path;
  const input = inferenceInvokes['inference.predict'].input.parse({ modelPath, imagePath });
  const readout = inferenceInvokes['inference.predict'].output.parse(await handlers.invoke['inference.predict']!(input, callCtx));
  assert.ok(readout.probability >= 0 && readout.probability <= 1);
  assert.equal(readout.quantum!.expectations.length, 4);
  assert.ok(readout.uncertainty.std > 0);
  assert.match(readout.summary, /quantum layer moved the score/);
});

test('saliency and heatmap routes answer raw bytes sized by their meta', async () => {
  const imagePath = labelledPatches('test', 1)[0]!.path;
  const saliency = await handlers.pixels['inference.saliency']!(inferencePixels['inference.saliency'].params.parse({ modelPath, imagePath, format: 'float32' }), callCtx);
  const meta = inferencePixels['inference.saliency'].meta.parse(saliency.meta);
  assert.equal(saliency.bytes.byteLength, meta.width * meta.height * 4);
  const heatmap = await handlers.pixels['inference.heatmap']!(inferencePixels['inference.heatmap'].params.parse({ modelPath, imagePath: cine, frame: 5, patchSize: 128, stride: 128 }), callCtx);
  const heatMeta = inferencePixels['inference.heatmap'].meta.parse(heatmap.meta);
  assert.deepEqual([heatMeta.width, heatMeta.height, heatMeta.format, heatMeta.windowCount], [512, 512, 'rgba8', 16]);
  assert.equal(heatmap.bytes.byteLength, 512 * 512 * 4);
});

test('a cine scan runs as a job, reporting progress per frame and finishing with per-frame results', async () => {
  const events: { event: string; payload: { jobId?: string; done?: number; status?: string; result?: unknown } }[] = [];
  const unsubscribe = ctx.bus.subscribe((event, payload) => events.push({ event, payload: payload as never }));
  const { jobId } = await handlers.invoke['inference.scanCine']!({ modelPath, imagePath: cine, patchSize: 256, stride: 256 }, callCtx);
  await ctx.jobs.drain();
  unsubscribe();
  const mine = events.filter((e) => e.payload.jobId === jobId);
  const progress = mine.filter((e) => e.event === 'job.progress').map((e) => e.payload.done);
  assert.deepEqual(progress.slice(0, 3), [1, 2, 3]);
  assert.equal(progress.at(-1), 96);
  const finished = mine.find((e) => e.event === 'job.finished')!;
  assert.equal(finished.payload.status, 'succeeded');
  assert.equal((finished.payload.result as { frames: unknown[] }).frames.length, 96);
});

test('a model file from another version, an image of unexpected size and an empty frame are typed errors', async () => {
  const is = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
  const oldModel = join(dir, 'old.angio-inference');
  const bytes = (await fixtureModel(7)).bytes.slice();
  new DataView(bytes.buffer).setUint32(8, 0, true);
  writeFileSync(oldModel, bytes);
  const imagePath = labelledPatches('test', 1)[0]!.path;
  await assert.rejects(handlers.invoke['inference.predict']!({ modelPath: oldModel, imagePath, frame: 0 }, callCtx) as Promise<unknown>, is('model-version-unsupported'));
  await assert.rejects(
    handlers.pixels['inference.heatmap']!({ modelPath, imagePath, frame: 0, patchSize: 512, stride: 256, format: 'rgba8' }, callCtx) as Promise<unknown>,
    is('image-size-unexpected'),
  );
  const blank = join(dir, 'blank.png');
  const { encodePng } = await import('../png/png.ts');
  writeFileSync(blank, encodePng(64, 64, 1, new Uint8Array(64 * 64).fill(90)));
  await assert.rejects(handlers.invoke['inference.predict']!({ modelPath, imagePath: blank, frame: 0 }, callCtx) as Promise<unknown>, is('empty-frame'));
});

test('a library image by id reads its stored copy: the same readout and heatmap as the original file', async () => {
  const { IngestService } = await import('../ingest/service.ts');
  const ingest = new IngestService({ store: ctx.store, dataDir: ctx.dataDir });
  await ingest.runImport('ipc-test', { root: join(sharedDataDir(), 'dicom', 'xa') }, { progress: () => {}, throwIfCancelled: () => {} });
  ingest.close();
  const { id } = ctx.store.db.prepare('SELECT id FROM instances WHERE frames = 96').get() as { id: number };
  const byId = await handlers.invoke['inference.predict']!(inferenceInvokes['inference.predict'].input.parse({ modelPath, instanceId: id, frame: 3 }), callCtx);
  assert.deepEqual(byId, await service.predict({ modelPath, imagePath: cine, frame: 3 }));
  const params = inferencePixels['inference.heatmap'].params.parse({ modelPath, instanceId: id, frame: 3, patchSize: 128, stride: 128 });
  const meta = inferencePixels['inference.heatmap'].meta.parse((await handlers.pixels['inference.heatmap']!(params, callCtx)).meta);
  assert.deepEqual(meta.regions, (await service.heatmap({ modelPath, imagePath: cine, frame: 3 }, { patchSize: 128, stride: 128 })).regions);
  assert.deepEqual(meta.scale.stops.map((s) => s.value), [0.5, 1]);
  const is = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
  await assert.rejects(async () => handlers.invoke['inference.predict']!({ modelPath, instanceId: 999_999, frame: 0 }, callCtx), is('instance-not-found'));
  assert.equal(inferenceInvokes['inference.predict'].input.safeParse({ modelPath, instanceId: id, imagePath: cine }).success, false, 'one image, not two');
  assert.equal(inferenceInvokes['inference.predict'].input.safeParse({ modelPath }).success, false, 'an image is required');
});

test('inference.model describes the model with its circuit as drawing data; recent models are remembered once each', async () => {
  const summary = inferenceInvokes['inference.model'].output.parse(await handlers.invoke['inference.model']!({ modelPath }, callCtx));
  assert.equal(summary.threshold, 0.5);
  assert.deepEqual([summary.circuit?.qubits, summary.circuit?.layers, summary.circuit?.rotation], [4, 2, 'Rot']);
  assert.equal(summary.circuit!.drawing.primitives.filter((p) => p.kind === 'line' && p.role === 'wire').length, 4);
  const is = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
  await assert.rejects(async () => handlers.invoke['inference.model']!({ modelPath: dir }, callCtx), is('model-file-missing'));
  await handlers.invoke['inference.models.remember']!({ modelPath }, callCtx);
  await handlers.invoke['inference.models.remember']!({ modelPath: join(dir, 'other.angio') }, callCtx);
  const { models } = (await handlers.invoke['inference.models.remember']!({ modelPath }, callCtx)) as { models: string[] };
  assert.deepEqual(models, [modelPath, join(dir, 'other.angio')]);
  assert.deepEqual(await handlers.invoke['inference.models.recent']!({}, callCtx), { models });
});
