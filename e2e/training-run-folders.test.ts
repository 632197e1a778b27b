// Runs trained by `npm run demo` / `npm run experiment` on the Training screen, in Debian's Chromium against the real
// services: a folder with no model file is refused with a way on; a demo-like report folder (made here, its run's
// model.angio a real model file) lists its run with what scored.json recorded; "Open in Viewer" shows the Viewer's
// Predict tab with that model loaded (the same summary the inference service gives); and the folder is still listed
// after the app restarts on the same data folder.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { fixtureModel } from '../src-main/inference/testing/fixture-model.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { contractInvoke, openScreen } from './support/contract.ts';

const root = mkdtempSync(join(tmpdir(), 'angio-e2e-run-folders-'));
const dataDir = join(root, 'data');
const reportDir = join(root, 'demo-output');
const runDir = join(reportDir, 'runs', 'ssl-quantum-seed1');
const modelPath = join(runDir, 'model.angio');
const emptyDir = join(root, 'not-a-report');
let modelName: string;
let qubits: number;

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];

async function openApp(): Promise<void> {
  harness = await startHarness({ dataDir });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  await openScreen(page, 'training', 'Training');
}

before(async () => {
  const model = await fixtureModel(7);
  modelName = model.file.manifest.name;
  qubits = model.file.manifest.architecture.circuit!.qubits;
  mkdirSync(runDir, { recursive: true });
  mkdirSync(emptyDir);
  writeFileSync(modelPath, model.bytes);
  writeFileSync(join(runDir, 'scored.json'), JSON.stringify({ model: 'ssl-quantum', label: 'SSL-Quantum', seed: 1, testAuc: 0.793, valAuc: 0.812 }));
  writeFileSync(join(reportDir, 'metrics.json'), JSON.stringify({ title: 'Demo: SSL-Quantum vs SSL (no quantum) vs MobileNetV2' }));
  browser = await launchChromium();
  await openApp();
});

after(async () => {
  await browser?.close();
  await harness?.close();
  rmSync(root, { recursive: true, force: true });
});

async function openFolder(path: string): Promise<void> {
  await page.locator('#run-folder-path').fill(path);
  await page.locator('[data-action="open-run-folder"]').click();
}

test('a folder without a model file is refused with a sentence that says what to open', async () => {
  await openFolder(emptyDir);
  const notice = page.getByTestId('run-folders').getByTestId('notice-error');
  await notice.waitFor();
  assert.match((await notice.textContent()) ?? '', /No run in .*not-a-report has written model\.angio yet: open the report folder of `npm run demo` or `npm run experiment`/);
  assert.equal(await page.locator('[data-testid="run-folders"] [data-folder]').count(), 0, 'a refused folder is not listed');
  await notice.locator('button').click();
});

test('a demo report folder lists its run, and "Open in Viewer" loads its model.angio in the Viewer', async () => {
  await openFolder(reportDir);
  const row = page.locator(`[data-testid="run-folders"] [data-folder="${reportDir}"] tr[data-run-dir="${runDir}"]`);
  await row.waitFor();
  assert.equal(await row.getAttribute('data-model-path'), modelPath);
  const cells = (await row.locator('td').allTextContents()).map((t) => t.trim());
  assert.deepEqual(cells.slice(0, 5), ['ssl-quantum-seed1', 'SSL-Quantum', '1', '0.812', '0.793']);
  assert.match((await page.locator(`[data-folder="${reportDir}"] h4`).textContent()) ?? '', /Demo: SSL-Quantum vs SSL/);
  await keepScreenshot(page, 'training-run-folders');

  await row.locator('[data-action="open-in-viewer"]').click();
  await page.locator('h1#screen-title', { hasText: 'Viewer' }).waitFor();
  assert.equal(await page.locator('[data-tab="predict"]').getAttribute('aria-selected'), 'true', 'the Predict tab is shown');
  assert.equal(await page.locator('#predict-model-path').inputValue(), modelPath);
  const summary = page.locator('[data-testid="predict-panel"] [data-testid="model-summary"][data-loaded="yes"]');
  await summary.waitFor({ timeout: 60_000 });
  // Oracle: what the inference service itself says about the file.
  const expected = await contractInvoke(page)('inference.model', { modelPath });
  assert.equal(expected.name, modelName);
  const text = ((await summary.textContent()) ?? '').replace(/\s+/g, ' ');
  assert.ok(text.includes(`${expected.name} · ${expected.encoder}`) && text.includes(`${qubits} qubits`), `summary: ${text}`);
  const recent = await contractInvoke(page)('inference.models.recent', {});
  assert.equal(recent.models[0], modelPath, 'the opened model is the Viewer\'s most recent one');
  await keepScreenshot(page, 'training-run-folders-viewer');
  assert.deepEqual(pageErrors, []);
});

test('the opened folder is still listed after the app restarts on the same data folder', async () => {
  await page.close();
  await harness.close();
  await openApp();
  await page.locator(`[data-testid="run-folders"] [data-folder="${reportDir}"] tr[data-run-dir="${runDir}"]`).waitFor();
  assert.equal(await page.locator('[data-testid="run-folders"] [data-folder]').count(), 1);
  assert.deepEqual(pageErrors, []);
});
