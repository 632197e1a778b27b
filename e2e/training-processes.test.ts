// The Training screen's "processes" setting in Debian's Chromium against the real services: the control offers 1 to
// the machine's cores, refuses what cannot run in plain words, writes `processes` into the configuration, and a tiny
// P-ADSD run with 2 processes trains as two rank processes (seen at the app's process launcher) whose result.json
// records 2 ranks. The model options beside it are controls over the same JSON.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { getRun } from '../src-main/training/runs.ts';
import type { WorkerLauncher } from '../src-main/workers/index.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { openScreen } from './support/contract.ts';

// Batch 16 is the global batch: 8 images per rank, a few steps of one epoch.
const TINY_RUN = { method: 'supervised', encoder: 'simple_cnn', imageSize: 32, batchSize: 16, threads: 1, seed: 0, finetune: { epochs: 1, maxStepsPerEpoch: 4, patience: 2 } };

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
const launched: { name: string; pid: number | undefined }[] = [];

before(async () => {
  harness = await startHarness();
  // The training service reads the launcher from the context at each start: counting here sees every rank process.
  const launch = harness.ctx.launchProcess!;
  harness.ctx.launchProcess = ((entry, name, env) => {
    const child = launch(entry, name, env);
    launched.push({ name, pid: child.pid });
    return child;
  }) as WorkerLauncher;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  await openScreen(page, 'training', 'Training');
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

test('the processes control offers 1 to the machine\'s cores and says in words what cannot run', async () => {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const field = page.getByTestId('training-processes');
  assert.equal(await field.getAttribute('max'), String(Math.min(16, cores)));
  assert.equal(await field.inputValue(), '1', 'one process unless the person asks');
  await page.getByText('each process trains its share of every batch; on one machine this is for testing scale-out; results match one process except BatchNorm statistics').waitFor();

  await page.getByTestId('training-config').fill(JSON.stringify(TINY_RUN));
  await field.fill('0');
  const problem = page.getByTestId('processes-problem');
  assert.match((await problem.textContent())!, /^Processes must be a whole number from 1 to \d+ \(this machine has \d+ cores?\)\.$/);
  assert.ok(await page.locator('[data-action="start-training"]').isDisabled(), 'Start waits for a usable number');
  assert.equal(JSON.parse(await page.getByTestId('training-config').inputValue()).processes, undefined, 'a refused value stays out of the configuration');

  await page.getByTestId('training-config').fill(JSON.stringify({ ...TINY_RUN, batchSize: 6 }));
  await field.fill('2');
  await page.getByTestId('training-config').fill(JSON.stringify({ ...TINY_RUN, batchSize: 6, processes: 4 }));
  if (cores >= 4) assert.match((await problem.textContent())!, /A batch of 6 images does not split into 4 equal shares of at least 2 images/);
  else assert.match((await problem.textContent())!, /from 1 to \d+/);
});

test('model options: a control writes its key into the JSON, and the JSON typed moves the control', async () => {
  await page.locator('[data-preset="full"]').click();
  const config = page.getByTestId('training-config');
  const normalisation = page.getByRole('checkbox', { name: 'Stretch each image\'s contrast (1st–99th percentile)' });
  assert.equal(await normalisation.isChecked(), false);
  assert.match((await normalisation.getAttribute('aria-describedby'))!, /measured/);
  await page.getByText('test AUC 0.805 (3 seeds 0.803 ± 0.002)', { exact: false }).waitFor();
  // Reached from the presets with Tab and switched with Space, as a keyboard user would.
  await page.locator('[data-preset="full"]').focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'option-per-image-normalisation');
  await page.keyboard.press('Space');
  const written = JSON.parse(await config.inputValue()) as { input?: { normalisation?: string }; method: string };
  assert.deepEqual(written.input, { normalisation: 'per-image' }, 'only the option\'s key is written');
  assert.equal(written.method, 'ssl-quantum');
  await page.getByTestId('config-valid').waitFor();
  assert.equal(await page.locator('[data-preset="full"].on').count(), 0, 'a control makes the configuration custom, as typing does');

  const byol = page.getByRole('checkbox', { name: 'BYOL pretraining instead of SimCLR' });
  assert.equal(await byol.isChecked(), false);
  await config.fill((await config.inputValue()).replace('"pretrain": {', '"pretrain": {\n    "objective": "byol",'));
  await page.locator('[data-option="byol"][data-value="on"]').waitFor();
  assert.equal(await byol.isChecked(), true);
  await page.getByTestId('config-valid').waitFor();
  const fixmatch = page.getByRole('combobox', { name: 'Learn from unlabelled images while fine-tuning (FixMatch)' });
  await fixmatch.selectOption('tau-0.8');
  assert.deepEqual(JSON.parse(await config.inputValue()).finetune.unlabeledConsistency, { weight: 1, threshold: 0.8, ratio: 2 });
  await page.getByTestId('config-valid').waitFor();
  await page.getByTestId('training-options').scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'training-model-options');

  await config.fill('{ "method": ');
  await page.getByTestId('options-disabled').waitFor();
  assert.ok(await normalisation.isDisabled(), 'invalid JSON disables the controls');
  assert.equal(await config.inputValue(), '{ "method": ', 'and its text is left as typed');
});

test('processes = 2 on a tiny run trains as two rank processes and result.json records 2 ranks', { timeout: 600_000 }, async () => {
  await page.getByTestId('training-config').fill(JSON.stringify(TINY_RUN));
  await page.getByTestId('training-processes').fill('2');
  assert.equal(await page.getByTestId('processes-problem').count(), 0);
  assert.equal(JSON.parse(await page.getByTestId('training-config').inputValue()).processes, 2, 'the control writes the configuration');
  await page.getByTestId('config-valid').waitFor();
  await page.locator('[data-action="start-training"]').click();
  await page.locator('[data-testid="training-status"]', { hasText: 'succeeded' }).waitFor({ timeout: 540_000 });
  await keepScreenshot(page, 'training-processes');

  const ranks = launched.filter((l) => l.name.startsWith('angio-training-rank-'));
  assert.deepEqual(ranks.map((l) => l.name), ['angio-training-rank-0', 'angio-training-rank-1']);
  assert.equal(new Set(ranks.map((l) => l.pid)).size, 2, 'two processes of their own');
  const runId = (await page.getByTestId('training-live').getAttribute('data-run-id'))!;
  const run = getRun(harness.ctx.store, runId)!;
  assert.equal(run.status, 'succeeded');
  assert.equal(run.config.processes, 2);
  const result = JSON.parse(readFileSync(join(run.runDir, 'result.json'), 'utf8')) as { status: string; ranks?: number };
  assert.equal(result.status, 'completed');
  assert.equal(result.ranks, 2, 'result.json records the ranks that trained the run');
  await page.locator(`[data-testid="run-history"] tr[data-run-id="${runId}"][data-status="succeeded"]`).waitFor();
});

test('the processes setting ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
