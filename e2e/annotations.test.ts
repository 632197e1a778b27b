// Boxes in the Viewer in Debian's Chromium against the real services: on the 96-frame cine imported through ingest,
// two boxes drawn with the mouse on two frames (and moved, resized, deleted with the keyboard), visible only at
// their frames during playback; patches made from them follow the recipe (count, size, position) and keep their
// patient; boxes round-trip through VOC XML; and a patient-level split keeps every patch of a patient together.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { decodePng } from '../src-main/png/png.ts';
import { BlobStore } from '../src-main/store/blobs.ts';
import { buildPatientSplit } from '../src-main/splits/index.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { importFolder, openImage, waitForAllFrames } from './support/library-ui.ts';
import type { InvokeOutput } from '../src-preload/contract.ts';
import { contractInvoke, type ContractInvoke } from './support/contract.ts';

const XA_DIR = join(sharedDataDir(), 'dicom', 'xa');
const CINE_ROW = '[data-frames="96"]';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let cine: number;

type BoxRow = InvokeOutput<'annotations.list'>['boxes'][number];

before(async () => {
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  // The cine (one patient) and the XA1 images (another): the split below needs two patients.
  assert.equal(await importFolder(page, XA_DIR), 'succeeded');
  cine = await openImage(page, CINE_ROW);
  await waitForAllFrames(page);
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

const invoke: ContractInvoke = (channel, input) => contractInvoke(page)(channel, input);

const boxes = async () => (await invoke('annotations.list', { instanceId: cine })).boxes;

async function goToFrame(frame: number): Promise<void> {
  await page.locator('h1#screen-title').click();
  await page.keyboard.press('Home');
  for (let i = 0; i < frame; i++) await page.keyboard.press('ArrowRight');
  await page.locator(`[data-testid="frame-canvas"][data-frame="${frame}"]`).waitFor();
}

/** Where frame pixel (x, y) is on screen: the layer places the 512² frame as FrameCanvas does (fit, centred). */
async function screenPoint(x: number, y: number): Promise<{ x: number; y: number }> {
  const rect = (await page.getByTestId('box-layer').boundingBox())!;
  const fit = Math.min(rect.width / 512, rect.height / 512);
  return { x: rect.x + (rect.width - 512 * fit) / 2 + x * fit, y: rect.y + (rect.height - 512 * fit) / 2 + y * fit };
}

/** Presses B and drags from frame pixel a to frame pixel b (fractions keep the whole-pixel box unambiguous). */
async function drawBox(a: [number, number], b: [number, number]): Promise<void> {
  await page.keyboard.press('b');
  await page.locator('[data-testid="box-layer"][data-tool="box"]').waitFor();
  const from = await screenPoint(...a);
  const to = await screenPoint(...b);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 4 });
  await page.mouse.up();
  await page.locator('[data-testid="box-layer"][data-tool="select"]').waitFor();
}

const settle = async (predicate: (list: BoxRow[]) => boolean, what: string): Promise<BoxRow[]> => {
  for (let i = 0; i < 50; i++) {
    const list = await boxes();
    if (predicate(list)) return list;
    await page.waitForTimeout(100);
  }
  throw new Error(`boxes never reached: ${what}; they are ${JSON.stringify(await boxes())}`);
};

test('two boxes drawn with the mouse on frames 31 and 61 are stored with their frame, patient and reader', async () => {
  await page.locator('[data-field="box-reader"]').fill('Dr Test');
  await goToFrame(30);
  await drawBox([200.3, 180.3], [259.7, 219.7]);
  await goToFrame(60);
  await drawBox([480.3, 250.3], [509.7, 299.7]);
  const list = await settle((l) => l.length === 2, 'two boxes');
  assert.deepEqual(list.map((b) => [b.frame, b.x, b.y, b.width, b.height, b.label, b.reader]), [
    [30, 200, 180, 60, 40, 'stenosis', 'Dr Test'],
    [60, 480, 250, 30, 50, 'stenosis', 'Dr Test'],
  ]);
  const context = await invoke('viewer.instanceContext', { instanceId: cine });
  assert.ok(list.every((b) => b.patientId === context.patientId));
  await keepScreenshot(page, 'annotations-box-frame-61');
});

test('keyboard: a focused box moves with the arrows, resizes with Ctrl+arrows, and Delete removes a box', async () => {
  const [, second] = await boxes();
  await page.locator(`g[data-box="${second!.id}"]`).focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Shift+ArrowUp');
  await page.keyboard.press('Control+ArrowDown');
  await settle((l) => l[1]!.x === 479 && l[1]!.y === 240 && l[1]!.height === 51, 'moved and resized');
  assert.equal(Number(await page.locator('[data-testid="frame-canvas"]').getAttribute('data-frame')), 60, 'the arrows moved the box, not the cine');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Control+ArrowUp');
  await settle((l) => l[1]!.x === 480 && l[1]!.y === 250 && l[1]!.height === 50, 'back in place');
  await drawBox([100.3, 100.3], [139.7, 139.7]);
  await settle((l) => l.length === 3, 'a third box');
  await page.keyboard.press('Delete');
  const list = await settle((l) => l.length === 2, 'the third box deleted');
  const history = await invoke('annotations.history', { id: list[1]!.id });
  assert.deepEqual(history.changes.map((c) => c.action), ['create', 'update', 'update', 'update', 'update', 'update', 'update']);
});

test('mouse: dragging a box moves it, dragging its corner resizes it', async () => {
  const [, second] = await boxes();
  const drag = async (from: [number, number], to: [number, number]) => {
    const a = await screenPoint(...from);
    const b = await screenPoint(...to);
    await page.mouse.move(a.x, a.y);
    await page.mouse.down();
    await page.mouse.move(b.x, b.y, { steps: 5 });
    await page.mouse.up();
  };
  await drag([495, 275], [475, 285]); // the body, 20 px left and 10 px down
  await settle((l) => l[1]!.x === 460 && l[1]!.y === 260 && l[1]!.width === 30, 'moved by mouse');
  await drag([490, 310], [500, 320]); // the south-east handle of the selected box
  await settle((l) => l[1]!.x === 460 && l[1]!.y === 260 && l[1]!.width === 40 && l[1]!.height === 60, 'resized by mouse');
  await drag([500, 320], [490, 310]); // the size back with the corner, then back where it was drawn
  await settle((l) => l[1]!.width === 30 && l[1]!.height === 50, 'size restored');
  await drag([465, 265], [485, 255]);
  const list = await settle((l) => l[1]!.x === 480 && l[1]!.y === 250 && l[1]!.width === 30 && l[1]!.height === 50, 'back in place');
  assert.equal(list[1]!.id, second!.id);
  assert.equal(Number(await page.locator('[data-testid="frame-canvas"]').getAttribute('data-frame')), 60);
  await page.keyboard.press('Escape');
});

test('a box shows on its own frame only, while stepping and during cine playback', async () => {
  const layer = page.getByTestId('box-layer');
  for (const [frame, count] of [[29, 0], [30, 1], [31, 0], [60, 1], [61, 0]] as const) {
    await goToFrame(frame);
    await page.locator(`[data-testid="box-layer"][data-frame="${frame}"]`).waitFor();
    assert.equal(await layer.getAttribute('data-boxes'), String(count), `frame ${frame + 1}`);
  }
  await goToFrame(0);
  await page.keyboard.press(' ');
  const seen = new Set<string>();
  for (let i = 0; i < 400 && seen.size < 2; i++) {
    const state = await page.evaluate(() => {
      const canvas = document.querySelector('[data-testid="frame-canvas"]')!.getAttribute('data-frame');
      const l = document.querySelector('[data-testid="box-layer"]')!;
      return { canvas, layer: l.getAttribute('data-frame'), boxes: l.getAttribute('data-boxes'), drawn: l.querySelectorAll('g[data-box]').length };
    });
    if (state.layer === state.canvas && (state.layer === '30' || state.layer === '60')) {
      assert.equal(state.boxes, '1');
      assert.equal(state.drawn, 1);
      seen.add(state.layer);
    }
    await page.waitForTimeout(5);
  }
  await page.keyboard.press(' ');
  assert.deepEqual([...seen].sort(), ['30', '60'], 'both annotated frames showed their box during playback');
});

test('patches made in the viewer follow the recipe: count, 64-pixel size, squares and labels, with the patient', async () => {
  await page.locator('[data-action="generate-patches"]').click();
  await page.getByTestId('patch-result').waitFor();
  assert.match((await page.getByTestId('patch-result').textContent())?.replace(/\s+/g, ' ') ?? '', /2 positive · 7 negative · 0 background · 64px/);
  assert.equal(await page.getByTestId('recipe-version').textContent(), 'padsd-boxes-v1');
  const [a, b] = await boxes();
  const rows = harness.ctx.store.db
    .prepare(
      `SELECT p.box_id AS boxId, p.frame_index AS frame, p.role, p.x, p.y, p.side, d.width, d.height, d.patient_id AS patientId, l.name AS label, d.blob_sha256 AS sha
       FROM annotation_patches p JOIN dataset_items d ON d.id = p.item_id JOIN labels l ON l.id = d.label_id ORDER BY d.id`,
    )
    .all() as { boxId: number; frame: number; role: string; x: number; y: number; side: number; width: number; height: number; patientId: number; label: string; sha: string }[];
  assert.deepEqual(rows.map((r) => `${r.frame} ${r.boxId === a!.id ? 'a' : r.boxId === b!.id ? 'b' : '?'} ${r.role} ${r.label} ${r.x},${r.y} ${r.side}`), [
    '30 a positive positive 200,170 60', '30 a left negative 140,170 60', '30 a right negative 260,170 60', '30 a above negative 200,110 60', '30 a below negative 200,230 60',
    '60 b positive positive 462,250 50', '60 b left negative 412,250 50', '60 b above negative 462,200 50', '60 b below negative 462,300 50',
  ]);
  const blobs = new BlobStore(join(harness.ctx.dataDir, 'blobs'));
  for (const r of rows) {
    assert.deepEqual([r.width, r.height, r.patientId], [64, 64, a!.patientId]);
    const png = decodePng(blobs.read(r.sha));
    assert.deepEqual([png.width, png.height, png.channels], [64, 64, 1]);
  }
});

test('boxes round-trip through VOC XML, and a patient-level split keeps every patch of a patient together', async () => {
  const before = await boxes();
  const exported = await invoke('annotations.export', { format: 'voc', instanceIds: [cine] });
  assert.equal(exported.files.length, 2);
  for (const b of before) await invoke('annotations.delete', { id: b.id, reader: 'Dr Test' });
  for (const f of exported.files) await invoke('annotations.import', { format: 'voc', text: f.text, reader: 'Dr Test' });
  const shape = (list: BoxRow[]) => list.map((b) => [b.frame, b.x, b.y, b.width, b.height, b.label, b.reader]).sort();
  assert.deepEqual(shape(await boxes()), shape(before));

  // A box on an XA1 image (the second patient) and its patches, then splits under several seeds.
  const xa1 = harness.ctx.store.db.prepare("SELECT id FROM instances WHERE kind = 'image' AND frames = 1 ORDER BY id LIMIT 1").get() as { id: number };
  await invoke('annotations.create', { instanceId: xa1.id, frame: 0, x: 400, y: 500, width: 80, height: 60, label: 'stenosis', reader: 'Dr Test' });
  const generated = await invoke('annotations.generatePatches', { params: (await invoke('annotations.recipe', {})).defaults, reader: 'Dr Test' });
  const [listed] = (await invoke('annotations.patchSets', {})).sets;
  assert.deepEqual([listed?.id, listed?.counts], [generated.patchSetId, generated.counts], 'the newest patch set is listed with the counts it was made with');
  const items = harness.ctx.store.db
    .prepare('SELECT d.id, d.patient_id AS patientId, l.name AS label, p.item_id IS NOT NULL AS patch FROM dataset_items d LEFT JOIN labels l ON l.id = d.label_id LEFT JOIN annotation_patches p ON p.item_id = d.id')
    .all() as { id: number; patientId: number | null; label: string | null; patch: number }[];
  const patients = new Set(items.filter((i) => i.patch).map((i) => i.patientId));
  assert.equal(patients.size, 2);
  for (const seed of [1, 2, 3]) {
    const split = buildPatientSplit(items.map((i) => ({ itemId: String(i.id), patientId: i.patientId === null ? null : String(i.patientId), label: i.label === 'positive' ? 1 : i.label === 'negative' ? 0 : null })), { train: 0.5, val: 0.25, test: 0.25 }, seed);
    for (const patient of patients) {
      const parts = new Set(items.filter((i) => i.patientId === patient).map((i) => split.assignment.get(String(i.id))));
      assert.equal(parts.size, 1, `seed ${seed}: a patient's items were split across ${[...parts].join(', ')}`);
    }
  }
});

test('the page ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
