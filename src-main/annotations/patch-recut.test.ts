// Patches cut before a series had Clean Pixel Data masks are not reused unmasked: a real XA image imported, a box
// drawn, patches generated and exported with a locked split; then masks saved over the viewer's IPC channel. Every
// patch whose square lies inside the masks becomes all zero (read back from its PNG), patches whose square misses the
// masks keep their picture, the items keep their ids and labels, the split's exported folder is made again from the
// new pictures, generating again reuses only the masked patches, and removing the masks restores the first cut.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { closeAppContext, createAppContext, sharedDataDir, type AppContext } from '../app/index.ts';
import type { MaskRect } from '../deid/index.ts';
import { DatasetService } from '../dataset/service.ts';
import { decodePng } from '../png/index.ts';
import { IngestService } from '../ingest/service.ts';
import { createIpcRegistry, type CallContext, type Handlers } from '../ipc/index.ts';
import { viewerHandlers } from '../viewer/ipc.ts';
import { AnnotationService, DEFAULT_PATCH_PARAMS } from './index.ts';

const caller: CallContext = { host: 'harness', origin: 'test' };
const noJob = { progress: () => {}, throwIfCancelled: () => {} };

let dir: string;
let ctx: AppContext;
let ingest: IngestService;
let annotations: AnnotationService;
let registry: ReturnType<typeof createIpcRegistry>;
let target: { instanceId: number; seriesId: number; rows: number; columns: number };

interface PatchRow { itemId: number; role: string; x: number; y: number; side: number; sha: string; label: string }

const patchRows = (): PatchRow[] =>
  ctx.store.db
    .prepare(
      `SELECT p.item_id AS itemId, p.role, p.x, p.y, p.side, d.blob_sha256 AS sha, l.name AS label FROM annotation_patches p
       JOIN dataset_items d ON d.id = p.item_id JOIN labels l ON l.id = d.label_id ORDER BY p.item_id`,
    )
    .all() as unknown as PatchRow[];

const pixelsOf = (sha: string): number[] => Array.from(decodePng(annotations.blobs.read(sha), sha).pixels);
const disjoint = (a: { x: number; y: number; side: number }, m: MaskRect): boolean => a.x + a.side <= m.x || m.x + m.width <= a.x || a.y + a.side <= m.y || m.y + m.height <= a.y;
const inside = (a: { x: number; y: number; side: number }, m: MaskRect): boolean => a.x >= m.x && a.y >= m.y && a.x + a.side <= m.x + m.width && a.y + a.side <= m.y + m.height;

async function setMasks(masks: MaskRect[]): Promise<void> {
  const answer = await registry.invoke('viewer.setPixelMasks', { seriesId: target.seriesId, masks, reader: 'dr-test' }, caller);
  assert.ok(answer.ok, JSON.stringify(!answer.ok && answer.error));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-patch-recut-'));
  ctx = createAppContext({ appRoot: process.cwd(), dataDir: join(dir, 'data'), sharedDataDir: sharedDataDir(), host: 'harness', log: () => {} });
  const slice = viewerHandlers(ctx);
  registry = createIpcRegistry({ invoke: slice.invoke, send: slice.send, pixels: slice.pixels } as unknown as Handlers);
  ingest = new IngestService({ store: ctx.store, dataDir: ctx.dataDir });
  const counts = await ingest.runImport('xa', { root: join(sharedDataDir(), 'dicom', 'xa'), files: ['XA1_JPLY.dcm'] }, noJob);
  assert.equal(counts.imported, 1, JSON.stringify(ingest.importLog('xa', null)));
  target = ctx.store.db.prepare("SELECT id AS instanceId, series_id AS seriesId, rows, columns FROM instances WHERE kind = 'image'").get() as typeof target;
  annotations = new AnnotationService({ store: ctx.store, dataDir: ctx.dataDir });
});

after(async () => {
  ingest?.close();
  if (ctx) await closeAppContext(ctx);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('masks saved after patches were cut recut them, and the split export follows; removing the masks restores them', async () => {
  annotations.create({ instanceId: target.instanceId, frame: 0, shape: 'box', x: Math.floor(target.columns / 3), y: Math.floor(target.rows / 3), width: 40, height: 40, label: 'stenosis', grade: null, reader: 'dr-test' });
  const first = await annotations.generatePatches(DEFAULT_PATCH_PARAMS, { instanceIds: [target.instanceId] }, 'dr-test');
  assert.ok(first.patches.length >= 2, 'a positive patch and its neighbours are cut');
  const cut = patchRows();
  const dataset = new DatasetService({ store: ctx.store, dataDir: ctx.dataDir });
  const { split } = dataset.buildSplit({ name: 'recut split', ratios: { train: 0.8, val: 0.1, test: 0.1 }, seed: 1, readerId: null });
  dataset.lockSplit(split.id, null);
  const exportedFiles = () => {
    const root = dataset.trainingSource(split.id).labeledRoot;
    return (readdirSync(root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
      .filter((d) => d.isFile() && d.name.endsWith('.png'))
      .map((d) => ({ itemId: Number(d.name.replace(/\.png$/, '')), pixels: Array.from(decodePng(readFileSync(join(d.parentPath, d.name)), d.name).pixels) }));
  };
  assert.equal(exportedFiles().length, cut.length, 'the split export holds every patch');

  // A mask exactly over the positive patch's square: some neighbour squares lie outside it.
  const positive = cut.find((p) => p.role === 'positive')!;
  assert.ok(pixelsOf(positive.sha).some((v) => v > 0), 'the unmasked positive patch has image');
  const mask: MaskRect = { x: positive.x, y: positive.y, width: positive.side, height: positive.side };
  await setMasks([mask]);
  const recut = patchRows();
  assert.deepEqual(recut.map((p) => [p.itemId, p.label]), cut.map((p) => [p.itemId, p.label]), 'the items keep their ids and labels');
  const missed = cut.filter((p) => disjoint(p, mask));
  assert.ok(missed.length > 0, 'some patch squares miss the mask');
  for (const before of cut) {
    const after = recut.find((p) => p.itemId === before.itemId)!;
    if (inside(before, mask)) assert.ok(pixelsOf(after.sha).every((v) => v === 0), `patch ${before.itemId} (${before.role}) inside the mask is all zero`);
    if (disjoint(before, mask)) assert.equal(after.sha, before.sha, `patch ${before.itemId} (${before.role}) outside the mask is unchanged`);
  }
  const audit = ctx.store.db.prepare("SELECT detail FROM audit_log WHERE action = 'annotations.recutPatches' AND object_id = ?").get(String(target.seriesId)) as { detail: string } | undefined;
  assert.equal(JSON.parse(audit?.detail ?? '{}').patches, cut.length, 'the recut is audited');

  // The locked split's export is made again from the recut pictures, not reused.
  const exported = exportedFiles();
  assert.equal(exported.length, cut.length);
  for (const file of exported) assert.deepEqual(file.pixels, pixelsOf(recut.find((p) => p.itemId === file.itemId)!.sha), `exported patch ${file.itemId} is the recut one`);
  assert.ok(exported.find((f) => f.itemId === positive.itemId)!.pixels.every((v) => v === 0), 'the exported positive patch is masked');

  // Generating again reuses the patches, now masked; a whole-frame mask zeroes every one.
  await setMasks([{ x: 0, y: 0, width: target.columns, height: target.rows }]);
  const again = await annotations.generatePatches(DEFAULT_PATCH_PARAMS, { instanceIds: [target.instanceId] }, 'dr-test');
  assert.ok(again.patches.every((p) => p.existing), 'the same recipe reuses the patches');
  for (const p of patchRows()) assert.ok(pixelsOf(p.sha).every((v) => v === 0), `patch ${p.itemId} (${p.role}) is all zero under a whole-frame mask`);

  // No masks: the first cut, bit for bit.
  await setMasks([]);
  assert.deepEqual(patchRows().map((p) => p.sha), cut.map((p) => p.sha));
});
