// The graded class list in Debian's Chromium against the real services: three patients' cine runs with graded
// boxes become a locked patient-level split; on the Training screen the reader picks "graded" for that split and
// trains; the Results screen then shows the run's per-class table and its K×K confusion matrix.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { writeReidentifiedCines } from '../src-main/annotations/testing/reidentified-cines.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { importFolder } from './support/library-ui.ts';
import { contractInvoke, openScreen as openScreenOf, type ContractInvoke } from './support/contract.ts';

const GRADED_CLASSES = ['no stenosis', 'stenosis <50%', 'stenosis 50–70%', 'stenosis >70%'];
const SMALL_RUN = { method: 'supervised', encoder: 'simple_cnn', imageSize: 32, batchSize: 5, seed: 0, finetune: { epochs: 10, patience: 10, learningRate: 3e-3 } };

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let splitId: number;
let runId: string;
const root = mkdtempSync(join(tmpdir(), 'angio-graded-e2e-'));

const invoke: ContractInvoke = (channel, input) => contractInvoke(page)(channel, input);

const openScreen = (route: string, title: string): Promise<void> => openScreenOf(page, route, title);

before(async () => {
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  const folder = join(root, 'cines');
  mkdirSync(folder);
  writeReidentifiedCines(folder, ['GRADE-A', 'GRADE-B', 'GRADE-C']);
  assert.equal(await importFolder(page, folder), 'succeeded');
  // Boxes are drawn with the mouse in e2e/annotations.test.ts; here they only need grades, so they go in by the contract.
  const classList = await invoke('annotations.classes.get', {});
  await invoke('annotations.classes.set', { classList: { ...classList, gradesEnabled: true }, reader: 'dr-grade' });
  const runs = harness.ctx.store.db.prepare("SELECT id FROM instances WHERE kind = 'image' AND frames = 96 ORDER BY id").all() as { id: number }[];
  assert.equal(runs.length, 3);
  for (const { id } of runs) {
    await invoke('annotations.create', { instanceId: id, frame: 30, x: 200, y: 180, width: 48, height: 48, label: 'stenosis', grade: '>70%', reader: 'dr-grade' });
    await invoke('annotations.create', { instanceId: id, frame: 60, x: 260, y: 240, width: 40, height: 48, label: 'stenosis', grade: '<50%', reader: 'dr-grade' });
  }
  const recipe = await invoke('annotations.recipe', {});
  await invoke('annotations.generatePatches', { params: recipe.defaults, reader: 'dr-grade' });
  const built = await invoke('dataset.buildSplit', { name: 'graded boxes', ratios: { train: 1, val: 1, test: 1 }, seed: 3 });
  splitId = built.split.id;
  await invoke('dataset.lockSplit', { splitId });
});

after(async () => {
  await browser?.close();
  await harness?.close();
  rmSync(root, { recursive: true, force: true });
});

test('the Training screen trains a graded model on the locked split when the reader picks graded classes', { timeout: 600_000 }, async () => {
  await openScreen('training', 'Training');
  await page.getByTestId('training-split').selectOption(String(splitId));
  const classes = page.getByTestId('training-classes');
  assert.equal(await classes.inputValue(), 'binary', 'binary unless the reader asks');
  await classes.selectOption('graded');
  await page.getByTestId('training-config').fill(JSON.stringify(SMALL_RUN));
  await page.getByTestId('config-valid').waitFor();
  await page.locator('[data-action="start-training"]').click();
  await page.locator('[data-testid="training-status"]', { hasText: 'succeeded' }).waitFor({ timeout: 480_000 });
  runId = (await page.getByTestId('training-live').getAttribute('data-run-id'))!;
  await keepScreenshot(page, 'training-graded');
  const run = harness.ctx.store.db.prepare('SELECT metrics_json AS metrics, dataset_json AS dataset FROM training_runs WHERE id = ?').get(runId) as { metrics: string; dataset: string };
  const metrics = JSON.parse(run.metrics) as { graded: { classNames: string[]; test: { perClass: { support: number }[] } } };
  assert.deepEqual(metrics.graded.classNames, GRADED_CLASSES);
  assert.deepEqual(metrics.graded.test.perClass.map((c) => c.support), [8, 1, 0, 1], 'one held-out patient: 8 neighbours, one box of each drawn grade');
  assert.match(JSON.parse(run.dataset).labeledRoot, /-graded-[0-9a-f]{8}[/\\]labeled$/, 'the graded export of the split');
});

test('Results shows the graded run per class: a table of every class and the K×K confusion matrix', { timeout: 300_000 }, async () => {
  assert.ok(runId, 'the training test ran first');
  await openScreen('results', 'Results');
  const panel = page.locator(`[data-graded-run="${runId}"]`);
  await panel.waitFor({ timeout: 240_000 });
  const rows = panel.locator('[data-testid="graded-classes"] tbody tr');
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-class'))), GRADED_CLASSES);
  const figure = panel.locator('[data-figure="graded-confusion"] img');
  await figure.scrollIntoViewIfNeeded();
  assert.ok(await figure.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 100), 'the confusion figure drew');
  await keepScreenshot(page, 'results-graded');
});

test('Reports lists a graded finding with its most probable class and exports the boxes as a DICOM SR', { timeout: 120_000 }, async () => {
  const modelPath = (JSON.parse((harness.ctx.store.db.prepare('SELECT files_json AS files FROM training_runs WHERE id = ?').get(runId) as { files: string }).files) as { inferenceModel: string }).inferenceModel;
  const { studyId, instanceId } = harness.ctx.store.db
    .prepare("SELECT r.study_id AS studyId, i.id AS instanceId FROM instances i JOIN series r ON r.id = i.series_id WHERE i.frames = 96 ORDER BY i.id LIMIT 1")
    .get() as { studyId: number; instanceId: number };
  const computed = await invoke('reports.computeFindings', { studyId, modelPath, targets: [{ instanceId, frame: 30 }] });
  const top = computed.findings[0]!.classes![0]!.name;
  await openScreen('reports', 'Reports');
  await page.locator(`tr[data-study="${studyId}"] button`).click();
  const field = page.locator('table.findings [data-field="top-class"]');
  await field.waitFor();
  assert.match((await field.textContent())!, new RegExp(`most probable class: ${top.replace(/[<>%]/g, (c) => `\\${c}`)} \\(\\d+\\.\\d %\\)`));
  assert.ok(GRADED_CLASSES.includes(top));

  // The study's two boxes leave as a DICOM SR of image regions (checked against pydicom and dciodvfy in cine-to-model.test.ts).
  const out = join(root, 'reports');
  mkdirSync(out);
  await page.locator('[data-field="folder"]').fill(out);
  await page.locator('[data-field="name"]').fill('marks');
  await page.locator('[data-action="export-marks"]').click();
  const outcome = page.locator('[data-testid="report-outcome"][data-ok="true"]');
  await outcome.waitFor();
  assert.match((await outcome.textContent())!, /Marks SR written: 2 box\(es\)/);
  assert.ok(existsSync(join(out, 'marks-marks-SR.dcm')));
  await keepScreenshot(page, 'reports-graded');
});

test('the graded screens ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
