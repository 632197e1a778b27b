// The Viewer's model side in Debian's Chromium against the real services: a bad model path answered with a
// sentence; a real model file's lesion candidates on a cine frame (scanned, never read as one patch) equal to what
// the inference service computes for the same frame of the original file (oracle: a separate InferenceService in
// this process); the best candidate's saliency overlay's pixels on the canvas when on and none when off, aligned
// with the frame; the circuit with one wire per qubit; the full-frame scan's heatmap with the service's top regions
// outlined; stepping scans the new frame; a whole-run scan shows progress, can be cancelled, and ends with the
// service's peak frame and the run's lesions (regions overlapping on neighbouring frames, grouped as scipy's connected
// components) with their frame ranges.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { projectRoot, sharedDataDir } from '../src-main/app/paths.ts';
import { InferenceService } from '../src-main/inference/inference-service.ts';
import { probabilityOverlay } from '../src-main/inference/saliency/colour-scale.ts';
import { fixtureModel } from '../src-main/inference/testing/fixture-model.ts';
import { scipyGroups } from '../src-main/inference/testing/scipy-groups.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { canvasChannel } from './support/canvas.ts';
import { importFolder, openImage, waitInPage } from './support/library-ui.ts';

const XA_DIR = join(sharedDataDir(), 'dicom', 'xa');
const CINE_FILE = join(XA_DIR, 'XA_cine_96f_jpeg_baseline.dcm');
const CINE_ROW = '[data-frames="96"]';
const FRAME = 30;

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let work: string;
let modelPath: string;
let qubits: number;
const oracle = new InferenceService({ appRoot: projectRoot() });

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'angio-e2e-prediction-'));
  const model = await fixtureModel(7);
  qubits = model.file.manifest.architecture.circuit!.qubits;
  modelPath = join(work, 'model.angio');
  writeFileSync(modelPath, model.bytes);
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  assert.equal(await importFolder(page, XA_DIR), 'succeeded');
  await openImage(page, CINE_ROW);
});

after(async () => {
  await browser?.close();
  await harness?.close();
  await oracle.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const attr = async (selector: string, name: string) => page.locator(selector).first().getAttribute(name);
const num = async (selector: string, name: string) => Number(await attr(selector, name));

async function showFrame(frame: number): Promise<void> {
  await page.locator('input[aria-label="Frame"]').evaluate((slider: HTMLInputElement, f) => {
    slider.value = String(f);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  }, frame);
  await waitInPage(page, (f) => document.querySelector('[data-testid="frame-canvas"]')?.getAttribute('data-frame') === String(f), frame);
}

async function chooseModel(path: string): Promise<void> {
  await page.locator('#predict-model-path').fill(path);
  await page.locator('#predict-model-path').press('Enter');
}

/** The alpha channel of the map canvas (exact: canvases keep alpha and premultiply colour). */
async function mapAlpha(): Promise<{ width: number; height: number; alpha: Uint8Array }> {
  const { width, height, values } = await canvasChannel(page, 'map-canvas', 3);
  return { width, height, alpha: values };
}

const alphaOf = (rgba: Uint8Array) => rgba.filter((_, i) => i % 4 === 3);
const countNonZero = (values: Uint8Array) => values.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);

test('a model path that leads nowhere, or to a folder, is answered with a sentence and a way on', async () => {
  await page.getByTestId('viewport').focus();
  await page.keyboard.press('m');
  assert.equal(await attr('[data-tab="predict"]', 'aria-selected'), 'true', 'M moves from the Image tab to Predict');
  await chooseModel(join(work, 'missing.angio'));
  const error = page.getByTestId('predict-panel').getByTestId('model-error');
  await error.waitFor();
  assert.match((await error.textContent()) ?? '', /^The model could not be loaded\. No model file at .*missing\.angio: export the model again or pick another file\.$/);
  await keepScreenshot(page, 'viewer-prediction-bad-model');
  await chooseModel(work);
  await page.getByTestId('predict-panel').getByTestId('model-error').filter({ hasText: 'is a folder, not a model file: pick the model file inside it.' }).waitFor();
  await page.getByTestId('viewport').focus();
  await page.keyboard.press('Shift+P');
  await page.getByTestId('predict-panel').getByTestId('notice-error').filter({ hasText: /^!?The model could not be loaded\. .* is a folder/ }).waitFor();
  assert.equal(await attr('[data-testid="readout"]', 'data-state'), 'empty');
});

test('Predict (Shift+P) on the 512² frame scans it: the candidates equal the inference service\'s on the same frame', async () => {
  await chooseModel(modelPath);
  await page.locator('[data-testid="predict-panel"] [data-testid="model-summary"][data-loaded="yes"]').waitFor();
  await page.getByTestId('predict-panel').getByTestId('notice-error').locator('button').click();
  await showFrame(FRAME);
  await page.getByTestId('viewport').focus();
  await page.keyboard.press('Shift+P');
  await page.locator(`[data-testid="candidates"][data-state="current"][data-frame="${FRAME}"]`).waitFor({ timeout: 180_000 });
  await page.locator('[data-testid="predict-busy"][data-busy="no"]').waitFor({ timeout: 60_000 });
  const expected = await oracle.locate({ modelPath, imagePath: CINE_FILE, frame: FRAME });
  assert.equal(expected.kind, 'scan', 'a frame larger than 1.5 patch sides is never read as one patch');
  if (expected.kind !== 'scan') return;
  const c = '[data-testid="candidates"]';
  assert.equal(await num(`${c} [data-field="probability"]`, 'data-value'), expected.scan.candidates[0]!.probability);
  assert.equal(await num(`${c} [data-field="threshold"]`, 'data-value'), expected.threshold);
  assert.equal(await num(c, 'data-count'), expected.scan.candidates.length);
  assert.equal(await attr(`${c} [data-field="ood"]`, 'data-value'), String(expected.scan.candidates[0]!.ood.outOfDistribution));
  if (expected.scan.candidates[0]!.ood.outOfDistribution) assert.match((await page.locator(`${c} [data-field="ood"]`).textContent()) ?? '', /Unlike the training images/);
  const boxes = page.locator('[data-testid="map-layer"] g.candidate');
  assert.equal(await boxes.count(), expected.scan.candidates.length);
  for (const [i, candidate] of expected.scan.candidates.entries()) {
    const g = boxes.nth(i);
    assert.deepEqual(await Promise.all(['data-x', 'data-y', 'data-width', 'data-height'].map(async (name) => Number(await g.getAttribute(name)))), [candidate.x, candidate.y, candidate.width, candidate.height], `box ${i + 1}`);
    assert.equal(Number(await g.getAttribute('data-probability')), candidate.probability, `box ${i + 1} probability`);
    assert.equal(Number(await g.getAttribute('data-uncertainty')), candidate.uncertainty, `box ${i + 1} uncertainty`);
  }
  // Scroll only the side panel (scrollIntoView would scroll the whole frame too) so the candidates' top shows.
  await page.getByTestId('candidates').evaluate((element) => {
    const panel = element.closest('[role="tabpanel"]')!;
    panel.scrollTop += element.getBoundingClientRect().top - panel.getBoundingClientRect().top - 36;
  });
  await keepScreenshot(page, 'viewer-prediction-readout');
});

test('the saliency overlay covers the frame pixel for pixel when on, and draws nothing when off', async () => {
  // The coarse map is drawn first; the fine one replaces it and the panel says which is shown.
  await page.locator(`[data-testid="map-layer"][data-kind="saliency"][data-frame="${FRAME}"][data-detail="fine"]`).waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('predict-panel').getByTestId('map-detail').textContent(), 'Fine map: 8-pixel squares in steps of 4 (model input pixels).');
  // The scanned frame's map explains its best candidate: the box read as the patch it was scored as.
  const located = await oracle.locate({ modelPath, imagePath: CINE_FILE, frame: FRAME });
  const best = located.kind === 'scan' ? located.scan.candidates[0]! : null;
  assert.ok(best);
  const expected = await oracle.saliency({ modelPath, imagePath: CINE_FILE, frame: FRAME }, { x: best.x, y: best.y, width: best.width, height: best.height });
  const shown = await mapAlpha();
  assert.deepEqual([shown.width, shown.height], [expected.width, expected.height]);
  assert.deepEqual(shown.alpha, alphaOf(expected.overlay), 'overlay alpha equals the service overlay');
  assert.ok(countNonZero(shown.alpha) > 0, 'the overlay has visible pixels');
  const frameBox = (await page.getByTestId('frame-canvas').boundingBox())!;
  const mapBox = (await page.getByTestId('map-canvas').boundingBox())!;
  assert.deepEqual(mapBox, frameBox, 'the map lies exactly over the frame');
  assert.equal(await attr('[data-testid="predict-panel"] [data-testid="colour-bar"]', 'data-scale'), 'evidence-blue-red');
  assert.equal(await page.locator('[data-testid="predict-panel"] [data-testid="colour-bar"] [data-tick="high"]').textContent(), `+${expected.scale.limit.toFixed(2)}`);
  await page.locator('[data-field="map-opacity"]').first().fill('0.8');
  assert.equal(await page.getByTestId('map-canvas').evaluate((c) => (c as HTMLElement).style.opacity), '0.8');
  await keepScreenshot(page, 'viewer-prediction-saliency-on');

  await page.getByTestId('viewport').focus();
  await page.keyboard.press('s');
  await page.locator('[data-testid="map-layer"][data-kind="none"]').waitFor();
  assert.equal(countNonZero((await mapAlpha()).alpha), 0, 'nothing drawn when the overlay is off');
  await keepScreenshot(page, 'viewer-prediction-saliency-off');
  await page.keyboard.press('s');
  await page.locator('[data-testid="map-layer"][data-kind="saliency"]').waitFor();
  assert.ok(countNonZero((await mapAlpha()).alpha) > 0, 'back on');
  await page.keyboard.press('ArrowRight');
  await page.locator('[data-testid="map-layer"][data-kind="none"]').waitFor();
  assert.equal(await attr('[data-testid="candidates"]', 'data-state'), 'stale', 'a reading of another frame is marked, and its map not drawn');
  await page.keyboard.press('ArrowLeft');
  await page.locator('[data-testid="map-layer"][data-kind="saliency"]').waitFor();
});

test('the circuit of the model\'s quantum layer has one wire per qubit and opens at full size', async () => {
  const circuit = page.getByTestId('circuit');
  assert.equal(Number(await circuit.getAttribute('data-qubits')), qubits);
  const wires = circuit.locator('line.wire');
  assert.equal(await wires.count(), qubits);
  for (let q = 0; q < qubits; q++) assert.equal(await wires.nth(q).getAttribute('data-wire'), String(q));
  assert.equal(await circuit.locator('text.wire-label').count(), qubits);
  await page.locator('[data-action="circuit-full-size"]').scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'viewer-prediction-circuit');
  await page.locator('[data-action="circuit-full-size"]').click();
  await page.getByTestId('circuit-full').waitFor();
  await keepScreenshot(page, 'viewer-prediction-circuit-full-size');
  await page.keyboard.press('Escape');
  await page.getByTestId('circuit-full').waitFor({ state: 'hidden' });
});

test('Scan frame (Shift+S) lays the heatmap over the frame with the service\'s top regions outlined', async () => {
  await page.getByTestId('viewport').focus();
  await page.keyboard.press('Shift+S');
  assert.equal(await attr('[data-tab="scan"]', 'aria-selected'), 'true');
  const layer = page.locator(`[data-testid="map-layer"][data-kind="heatmap"][data-frame="${FRAME}"]`);
  await layer.waitFor({ timeout: 60_000 });
  const expected = await oracle.heatmap({ modelPath, imagePath: CINE_FILE, frame: FRAME }, { patchSize: 64, stride: 32 });
  assert.equal(Number(await layer.getAttribute('data-regions')), expected.regions.length);
  const outlines = page.locator('[data-testid="map-layer"] g[data-region]');
  assert.equal(await outlines.count(), expected.regions.length);
  for (const [i, region] of expected.regions.entries()) {
    const g = outlines.nth(i);
    assert.deepEqual([await g.getAttribute('data-x'), await g.getAttribute('data-y'), await g.getAttribute('data-size')].map(Number), [region.x, region.y, region.size], `region ${i + 1}`);
  }
  assert.deepEqual((await mapAlpha()).alpha, alphaOf(probabilityOverlay(expected.heatmap)), 'heatmap alpha equals the service overlay');
  assert.equal(await attr('[data-testid="scan-panel"] [data-testid="colour-bar"]', 'data-scale'), 'probability-yellow-red');
  await keepScreenshot(page, 'viewer-scan-frame');
});

test('stepping scans the next frame; a whole-run scan shows progress, can be cancelled, and finds the service\'s peak frame and the run\'s lesions', async () => {
  await page.getByTestId('viewport').focus();
  await page.keyboard.press('ArrowRight');
  await page.locator(`[data-testid="map-layer"][data-kind="heatmap"][data-frame="${FRAME + 1}"]`).waitFor({ timeout: 60_000 });
  const next = await oracle.heatmap({ modelPath, imagePath: CINE_FILE, frame: FRAME + 1 }, { patchSize: 64, stride: 32 });
  assert.equal(await page.locator('[data-testid="map-layer"] g[data-region]').count(), next.regions.length);

  await page.locator('[data-action="scan-run"]').click();
  const bar = page.locator('[role="progressbar"][aria-label="Run scan"]');
  await waitInPage(page, () => Number(document.querySelector('[role="progressbar"][aria-label="Run scan"]')?.getAttribute('aria-valuenow')) > 0, null, 60_000);
  assert.equal(await bar.getAttribute('aria-valuemax'), '96');
  await keepScreenshot(page, 'viewer-scan-run-progress');
  await page.locator('[data-action="cancel-scan-run"]').click();
  await page.locator('[data-testid="run-scan"][data-status="cancelled"]').waitFor({ timeout: 60_000 });
  assert.match((await page.getByTestId('scan-panel').getByTestId('notice-info').textContent()) ?? '', /The run scan was stopped after \d+ of 96 frames\. Scan the run again to finish it\./);

  await page.locator('[data-field="scan-patch"]').fill('128');
  await page.locator('[data-field="scan-stride"]').fill('128');
  await page.locator('[data-action="scan-run"]').click();
  await page.locator('[data-testid="run-scan"][data-status="succeeded"]').waitFor({ timeout: 180_000 });
  const run = await oracle.cine(modelPath, CINE_FILE, { patchSize: 128, stride: 128 });
  const strip = page.getByTestId('run-strip');
  assert.equal(await strip.getAttribute('data-frames'), '96');
  assert.equal(Number(await strip.getAttribute('data-peak')), run.peakFrame);
  // Regions overlapping on neighbouring frames are one lesion: the listed ranges are scipy's connected components of
  // the run's regions, those whose best window reaches the threshold, best first.
  const regions = run.frames.flatMap((f) => f.regions.map((r) => ({ frame: f.frame, x: r.x, y: r.y, width: r.size, height: r.size, probability: r.probability })));
  const expectedLesions = scipyGroups(regions)
    .map((group) => group.map((i) => regions[i]!))
    .map((members) => ({ first: Math.min(...members.map((m) => m.frame)), last: Math.max(...members.map((m) => m.frame)), best: Math.max(...members.map((m) => m.probability)) }))
    .filter((lesion) => lesion.best >= 0.5)
    .sort((a, b) => b.best - a.best)
    .slice(0, 5);
  const listed = page.locator('[data-testid="run-lesions"] li[data-first-frame]');
  assert.equal(await listed.count(), expectedLesions.length);
  for (const [i, lesion] of expectedLesions.entries()) {
    assert.deepEqual([Number(await listed.nth(i).getAttribute('data-first-frame')), Number(await listed.nth(i).getAttribute('data-last-frame'))], [lesion.first, lesion.last], `lesion ${i + 1}`);
  }
  await page.locator('[data-action="go-peak"]').click();
  await waitInPage(page, (f) => document.querySelector('[data-testid="frame-canvas"]')?.getAttribute('data-frame') === String(f), run.peakFrame);
  await page.locator(`[data-testid="map-layer"][data-kind="heatmap"][data-frame="${run.peakFrame}"]`).waitFor({ timeout: 60_000 });
  const outlines = page.locator('[data-testid="map-layer"] g[data-region]');
  const peakRegions = run.frames[run.peakFrame]!.regions;
  assert.equal(await outlines.count(), peakRegions.length);
  for (const [i, region] of peakRegions.entries()) assert.equal(await outlines.nth(i).getAttribute('data-x'), String(region.x), `peak region ${i + 1}`);
  await keepScreenshot(page, 'viewer-scan-run-peak');
});

test('the prediction and scan pages ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
