// Full-frame evaluation on the Results screen in Debian's Chromium against the real services: with no box drawn the
// panel says there is nothing to score; with a box on the cine's frame 31 placed on the top peak of a real model's
// heatmap (oracle: a separate InferenceService in this process scanning the original file, scored by
// scoreDetections) and a second box on frame 61, picking the model file and scoring shows the FROC figure, the
// sensitivity at N false positives per frame and the per-frame table equal to the oracle's, with frame 31 hit by its
// top peak; asked again the kept result is shown without rescanning, and a moved box marks it stale.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { heatmapPeaks, scoreDetections, type DetectionScore, type HeatmapFrame } from '../src-main/evaluation/index.ts';
import { projectRoot, sharedDataDir } from '../src-main/app/paths.ts';
import { InferenceService } from '../src-main/inference/inference-service.ts';
import { fixtureModel } from '../src-main/inference/testing/fixture-model.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { importFolder } from './support/library-ui.ts';
import type { InvokeOutput } from '../src-preload/contract.ts';
import { contractInvoke, openScreen as openScreenOf, type ContractInvoke } from './support/contract.ts';

const XA_DIR = join(sharedDataDir(), 'dicom', 'xa');
const CINE_FILE = join(XA_DIR, 'XA_cine_96f_jpeg_baseline.dcm');
const SCAN = { patchSize: 64, stride: 32 };
const BOX_SIDE = 48;

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let work: string;
let modelPath: string;
let cine: number;
const oracle = new InferenceService({ appRoot: projectRoot() });

type BoxRow = InvokeOutput<'annotations.list'>['boxes'][number];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'angio-e2e-froc-'));
  const model = await fixtureModel(7);
  modelPath = join(work, 'model.angio');
  writeFileSync(modelPath, model.bytes);
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  assert.equal(await importFolder(page, XA_DIR), 'succeeded');
  cine = (harness.ctx.store.db.prepare("SELECT id FROM instances WHERE kind = 'image' AND frames = 96").get() as { id: number }).id;
});

after(async () => {
  await browser?.close();
  await harness?.close();
  await oracle.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const invoke: ContractInvoke = (channel, input) => contractInvoke(page)(channel, input);

const openScreen = (route: string, title: string): Promise<void> => openScreenOf(page, route, title);

const panel = () => page.getByTestId('full-frame');
const clampToFrame = (v: number) => Math.min(512 - BOX_SIDE, Math.max(0, Math.round(v - BOX_SIDE / 2)));

/** The oracle's heatmap of a cine frame, scanned from the original file as the app scans its stored copy. */
async function oracleFrame(frame: number, boxes: BoxRow[]): Promise<HeatmapFrame> {
  const map = await oracle.heatmap({ modelPath, imagePath: CINE_FILE, frame }, SCAN);
  return { key: `instance ${cine} frame ${frame + 1}`, width: map.width, height: map.height, heatmap: map.heatmap, boxes: boxes.filter((b) => b.frame === frame) };
}

test('with no box drawn, Results says there is nothing to score and how to draw boxes', async () => {
  await openScreen('results', 'Results');
  await page.locator('[data-testid="full-frame"][data-state="empty"]').waitFor();
  assert.match((await page.getByTestId('full-frame-empty').textContent())?.replace(/\s+/g, ' ') ?? '', /No frame has boxes yet, so there is nothing to score/);
  assert.equal(await panel().locator('[data-action="run-full-frame"]').count(), 0, 'no scoring without boxes');
  await keepScreenshot(page, 'results-froc-empty');
});

let expected: DetectionScore;
let peak: { x: number; y: number; score: number };

test('scoring the frames with boxes with a model shows the FROC figure and table, and the box on the top peak of frame 31 is hit', { timeout: 300_000 }, async () => {
  // Frame 31's box sits on the oracle heatmap's top peak; frame 61's box is in the lower-left corner.
  const top = heatmapPeaks(await oracle.heatmap({ modelPath, imagePath: CINE_FILE, frame: 30 }, SCAN), SCAN.patchSize / 2, 1, 0)[0]!;
  peak = top;
  await invoke('annotations.create', { instanceId: cine, frame: 30, x: clampToFrame(top.x), y: clampToFrame(top.y), width: BOX_SIDE, height: BOX_SIDE, label: 'stenosis', reader: 'Dr Test' });
  await invoke('annotations.create', { instanceId: cine, frame: 60, x: 24, y: 430, width: 56, height: 48, label: 'stenosis', reader: 'Dr Test' });
  const boxes = (await invoke('annotations.list', { instanceId: cine })).boxes;
  expected = scoreDetections([await oracleFrame(30, boxes), await oracleFrame(60, boxes)], { suppressionRadius: SCAN.patchSize / 2 });

  await openScreen('library', 'Library');
  await openScreen('results', 'Results');
  await page.locator('[data-testid="full-frame"][data-state="ready"]').waitFor();
  assert.match((await panel().textContent())?.replace(/\s+/g, ' ') ?? '', /2 frames with 2 boxes\./);
  await page.locator('#froc-model-path').fill(modelPath);
  await panel().locator('[data-action="run-full-frame"]').click();
  await page.locator('[data-testid="froc-about"][data-reused="no"]').waitFor({ timeout: 240_000 });

  // The figure is drawn (an SVG image from main, loaded and sized in the page).
  const figure = page.locator('[data-testid="froc-figure"] img');
  await page.waitForFunction(() => (document.querySelector('[data-testid="froc-figure"] img') as HTMLImageElement | null)?.complete === true);
  const size = await figure.evaluate((img: HTMLImageElement) => ({ natural: img.naturalWidth, shown: img.getBoundingClientRect().width }));
  assert.ok(size.natural > 400 && size.shown > 400, `FROC figure ${JSON.stringify(size)}`);
  const svg = decodeURIComponent((await figure.getAttribute('src'))!.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''));
  assert.match(svg, /FROC: boxes hit against false positives per frame/);
  assert.match(svg, /False positives per frame \(2 frames, log scale\)/);

  // Sensitivity at N FP per frame as the oracle scores it.
  const rows = await page.locator('[data-testid="froc-table"] tbody tr').evaluateAll((trs) => trs.map((tr) => ({ fp: Number(tr.getAttribute('data-fp')), sensitivity: Number(tr.getAttribute('data-sensitivity')), text: tr.textContent?.replace(/\s+/g, ' ').trim() })));
  assert.deepEqual(rows.map((r) => [r.fp, r.sensitivity]), expected.atFpRates.map((r) => [r.fpPerFrame, r.sensitivity]));
  expected.atFpRates.forEach((r, i) => assert.ok(rows[i]!.text!.endsWith(r.threshold === null ? '—' : r.threshold.toFixed(3)), `threshold at ${r.fpPerFrame}: ${rows[i]!.text}`));

  // Each frame's outcome; the box on the top peak is hit by it.
  const frames = await page.locator('[data-testid="froc-frames"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
  assert.deepEqual(frames, expected.perFrame.map((f) => [f.frame, String(f.boxes), String(f.hits), String(f.falsePositives), f.bestHitScore === null ? 'missed' : f.bestHitScore.toFixed(3)]));
  const thirtyOne = page.locator(`[data-testid="froc-frames"] tr[data-frame-key="instance ${cine} frame 31"]`);
  assert.equal(await thirtyOne.getAttribute('data-hits'), '1');
  assert.equal((await thirtyOne.locator('td').last().textContent())?.trim(), peak.score.toFixed(3), 'frame 31 is hit by its top peak');
  assert.equal(expected.candidates.find((c) => c.frame === `instance ${cine} frame 31`)?.outcome, 'hit', 'the oracle: frame 31\'s first candidate hits its box');
  await page.getByTestId('froc-figure').scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'results-froc');
});

test('asked again, the kept evaluation is shown without rescanning; a moved box marks it stale', { timeout: 120_000 }, async () => {
  const about = page.getByTestId('froc-about');
  const id = await about.getAttribute('data-evaluation-id');
  await panel().locator('[data-action="run-full-frame"]').click();
  await page.locator('[data-testid="froc-about"][data-reused="yes"]').waitFor();
  assert.equal(await about.getAttribute('data-evaluation-id'), id, 'the same kept evaluation');
  assert.equal(harness.ctx.store.db.prepare('SELECT count(*) AS n FROM annotation_evaluations').get()!.n, 1, 'nothing new was stored');

  const [first] = (await invoke('annotations.list', { instanceId: cine })).boxes;
  await invoke('annotations.update', { id: first!.id, revision: first!.revision, x: first!.x >= 4 ? first!.x - 4 : first!.x + 4, reader: 'Dr Test' });
  await openScreen('library', 'Library');
  await openScreen('results', 'Results');
  await page.getByTestId('froc-stale').waitFor();
  assert.equal(await about.getAttribute('data-current'), 'no');
  assert.equal(await about.getAttribute('data-evaluation-id'), id, 'the kept evaluation is still shown, marked stale');
});

test('the page ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
