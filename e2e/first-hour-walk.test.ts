// A newcomer's first hour end to end, walked in Debian's Chromium at 1280×800 against the real services, by clicks
// and typing only (the contract is read, never driven): a small labelled P-ADSD subset and a real XA cine imported,
// a few items labelled in Curation, a split built and locked, a tiny quantum run trained, a test item opened from
// Results and predicted in the Viewer with the quantum layer's change said with enough digits (oracle: a separate
// InferenceService in this process on the same file), Results' figures drawn on the app's dark theme with the radar
// legend whole, and the study report exported as a PDF that poppler's pdftotext reads. No step is a dead end.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { projectRoot, sharedDataDir } from '../src-main/app/paths.ts';
import { InferenceService } from '../src-main/inference/inference-service.ts';
import { pdfText } from '../src-main/reports/testing/oracles.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { openScreen } from './support/contract.ts';
import { importFolder } from './support/library-ui.ts';

const PADSD = join(sharedDataDir(), 'p-adsd', 'labeled');
/** Patches per part and class: 8 + 8 to train on, 3 + 3 to validate, 3 + 3 to test (28 in all) … */
const TAKE: Record<string, number> = { train: 8, val: 3, test: 3 };
/** … and a small quantum run: SimpleCNN at 64 px (every patch is read whole), no pretraining, one epoch of a few steps. */
const TINY = {
  method: 'ssl-quantum', encoder: 'simple_cnn', imageSize: 64, batchSize: 4, seed: 0,
  quantum: { qubits: 4, layers: 1 }, pretrain: { epochs: 0 }, finetune: { headEpochs: 0, epochs: 1, maxStepsPerEpoch: 4, patience: 1 },
};

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let scratch: string;
let patches: string;
const oracle = new InferenceService({ appRoot: projectRoot() });

type Row = Record<string, unknown>;
const query = (sql: string, ...args: (string | number)[]): Row[] => harness.ctx.store.db.prepare(sql).all(...args) as Row[];
/** The model file the newest run wrote, from the catalog. */
const runModel = (): string => JSON.parse(String(query('SELECT files_json FROM training_runs ORDER BY created_at DESC LIMIT 1')[0]!.files_json)).inferenceModel as string;
const shot = (step: string) => keepScreenshot(page, `first-hour-walk-${step}`);

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'angio-first-hour-walk-'));
  patches = join(scratch, 'padsd-subset');
  for (const [part, n] of Object.entries(TAKE)) {
    for (const label of ['positive', 'negative']) {
      const from = join(PADSD, part, label);
      mkdirSync(join(patches, part, label), { recursive: true });
      for (const file of readdirSync(from).filter((f) => f.endsWith('.png')).sort().slice(0, n)) copyFileSync(join(from, file), join(patches, part, label, file));
    }
  }
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  await page.locator('h1#screen-title', { hasText: 'Library' }).waitFor();
});

after(async () => {
  await browser?.close();
  await harness?.close();
  await oracle.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('import: the labelled subset keeps its labels and split, and the XA cine joins it', { timeout: 180_000 }, async () => {
  assert.equal(await importFolder(page, patches), 'succeeded');
  const summary = (await page.getByTestId('import-job').textContent())!.replace(/\s+/g, ' ');
  const imported = Number(/(\d+) imported/.exec(summary)?.[1]);
  assert.ok(imported > 0, summary);
  assert.match(summary, new RegExp(`${imported} with a label \\(from folder names or the manifest\\); splits found: test, train, val\\.`));
  await shot('import-patches');
  const cine = join(scratch, 'cine');
  mkdirSync(cine);
  copyFileSync(join(sharedDataDir(), 'dicom', 'xa', 'XA1_UNC.dcm'), join(cine, 'XA1_UNC.dcm'));
  assert.equal(await importFolder(page, cine), 'succeeded');
  assert.equal(query("SELECT count(*) AS n FROM dataset_items WHERE kind = 'png' AND label_id IS NOT NULL")[0]!.n, imported);
  await shot('import-cine');
});

test('label: a reader is named and a few items are labelled with the keyboard', { timeout: 120_000 }, async () => {
  await openScreen(page, 'curation', 'Curation');
  await page.getByTestId('reader-name').fill('Dr Walk');
  await page.locator('[data-action="add-reader"]').click();
  await page.locator('[data-testid="active-reader"] bdi', { hasText: 'Dr Walk' }).waitFor();
  const cells = page.locator('[data-testid="item-grid"] [data-item-id]');
  await cells.nth(3).waitFor();
  for (const [index, key] of [[0, 'p'], [1, 'n'], [2, 'p']] as const) {
    await cells.nth(index).click();
    await page.keyboard.press(key);
  }
  const labelled = () => query("SELECT count(*) AS n FROM item_labels l JOIN readers r ON r.id = l.reader_id WHERE r.name = 'Dr Walk'")[0]!.n as number;
  for (let i = 0; i < 100 && labelled() < 3; i++) await page.waitForTimeout(100);
  assert.equal(labelled(), 3, 'three labels under the reader on screen');
  await shot('curation');
});

test('split: built, then locked', { timeout: 120_000 }, async () => {
  await openScreen(page, 'splits', 'Splits');
  await page.locator('[data-action="build-split"]').click();
  await page.getByTestId('notice-ok').filter({ hasText: /Built / }).waitFor();
  await page.locator('[data-action="lock-split"]').click();
  await page.getByTestId('locked-badge').waitFor();
  const active = Number(query("SELECT value FROM settings WHERE key = 'dataset.activeSplit'")[0]!.value);
  assert.equal(query('SELECT locked_at IS NOT NULL AS locked FROM dataset_splits WHERE id = ?', active)[0]!.locked, 1);
  await shot('split');
});

test('train: a tiny quantum run on the locked split finishes', { timeout: 300_000 }, async () => {
  await openScreen(page, 'training', 'Training');
  await page.getByTestId('training-config').fill(JSON.stringify(TINY));
  await page.locator('[data-action="start-training"]').click();
  await page.locator('[data-testid="training-status"]', { hasText: /succeeded|failed/ }).waitFor({ timeout: 280_000 });
  await shot('training');
  assert.equal(await page.getByTestId('training-status').textContent(), 'succeeded', (await page.locator('main').textContent())!);
});

test('predict: a test item opened from Results reads with the quantum layer\'s change said with enough digits', { timeout: 240_000 }, async () => {
  await openScreen(page, 'results', 'Results');
  const row = page.locator('[data-testid="predictions"] tbody tr:not([data-item-id=""])').first();
  await row.waitFor({ timeout: 180_000 });
  const itemId = (await row.getAttribute('data-item-id'))!;
  await row.click();
  await page.locator(`[data-testid="stage"][data-item-id="${itemId}"] [data-testid="frame-canvas"]`).waitFor();
  await page.locator('[data-tab="predict"]').click();
  const modelPath = (await page.locator('[data-testid="predict-panel"] [data-testid="model-proposed"]').getAttribute('data-path'))!;
  assert.equal(modelPath, runModel(), 'the run just trained is the model proposed');
  await page.locator('[data-testid="predict-panel"] [data-action="predict"]').click();
  const panel = page.getByTestId('predict-panel');
  await page.locator('[data-testid="readout"][data-state="current"]').or(panel.getByTestId('notice-error')).first().waitFor({ timeout: 40_000 }).catch(async (e) => {
    throw new Error(`${(e as Error).message}\n${(await panel.textContent())!.slice(0, 1500)}`);
  });
  await shot('viewer-predict');
  assert.equal(await panel.getByTestId('notice-error').count(), 0, (await panel.textContent())!);

  // Oracle: the inference service of this process on each imported patch; the one with the viewer's score is the item.
  const shown = Number(await page.locator('[data-testid="readout"] [data-field="probability"]').getAttribute('data-value'));
  const files = readdirSync(patches, { recursive: true }).map(String).filter((f) => f.endsWith('.png')).map((f) => join(patches, f));
  const answers = await Promise.all(files.map((imagePath) => oracle.predict({ modelPath, imagePath, frame: 0 })));
  const expected = answers.find((a) => Math.abs(a.probability - shown) < 1e-9);
  assert.ok(expected?.quantum, `one imported patch scores ${shown} with a quantum layer (${answers.map((a) => a.probability).join(', ')})`);
  const sentence = (await page.locator('[data-testid="readout"] [data-field="summary"]').textContent())!;
  const moved = /The quantum layer moved the score from (\d\.\d+) to (\d\.\d+)/.exec(sentence);
  if (moved) {
    const [from, to] = [moved[1]!, moved[2]!];
    assert.notEqual(from, to, `the change is visible in the digits shown: ${sentence}`);
    const digits = from.length - 2;
    assert.equal(from, expected.quantum.baselineProbability.toFixed(digits));
    assert.equal(to, expected.probability.toFixed(digits));
  } else {
    assert.match(sentence, /The quantum layer changed nothing measurable: the score stays at \d\.\d{4}/);
    assert.ok(Math.abs(expected.probability - expected.quantum.baselineProbability) < 5e-5, sentence);
  }
});

/** The RGB of the screenshot pixel at (x, y) of an element, read from the PNG bytes (not from the page's styles). */
async function pixelOf(selector: string, x: number, y: number): Promise<[number, number, number]> {
  const png = PNG.sync.read(await page.locator(selector).screenshot());
  const at = (y * png.width + x) * 4;
  return [png.data[at]!, png.data[at + 1]!, png.data[at + 2]!];
}

const hex = (css: string): [number, number, number] => {
  const h = css.trim().replace('#', '');
  return [0, 2, 4].map((i) => Number.parseInt(h.slice(i, i + 2), 16)) as [number, number, number];
};

test('Results: the figures are drawn on the app\'s dark theme and the radar legend is whole', { timeout: 120_000 }, async () => {
  await openScreen(page, 'results', 'Results');
  const figures = page.locator('[data-testid="figures"] figure');
  await figures.first().waitFor({ timeout: 120_000 });
  const theme = await page.evaluate(() => ['--bg', '--panel', '--panel-2'].map((v) => getComputedStyle(document.documentElement).getPropertyValue(v)).filter((v) => v.trim()));
  const themeColours = theme.map(hex);
  for (const name of await figures.evaluateAll((fs) => fs.map((f) => (f as HTMLElement).dataset.figure!))) {
    const img = `[data-figure="${name}"] img`;
    await page.locator(img).scrollIntoViewIfNeeded();
    const pixel = await pixelOf(img, 2, 2);
    const near = themeColours.some((c) => c.every((v, i) => Math.abs(v - pixel[i]!) <= 12));
    assert.ok(near, `${name}'s background ${pixel.join(',')} is one of the theme's (${theme.join(' ')})`);
  }
  await page.locator('[data-figure="fig2-radar"] img').scrollIntoViewIfNeeded();
  await shot('results');

  // The radar's legend, laid out by the page from the figure's own SVG: no label is cut short or runs off the figure.
  const legend = await page.locator('[data-figure="fig2-radar"] img').evaluate(async (img: HTMLImageElement) => {
    const svgText = decodeURIComponent(img.src.slice(img.src.indexOf(',') + 1));
    const host = document.createElement('div');
    host.style.cssText = 'position:absolute;left:-10000px;top:0';
    host.innerHTML = svgText;
    document.body.append(host);
    const svg = host.querySelector('svg')!;
    const width = svg.viewBox.baseVal?.width || svg.width.baseVal.value;
    const labels = [...svg.querySelectorAll('.role-legend-label text, .role-legend-label')].filter((t) => t.tagName === 'text') as SVGTextElement[];
    const out = labels.map((t) => {
      const box = t.getBoundingClientRect();
      const frame = svg.getBoundingClientRect();
      return { text: t.textContent ?? '', right: box.right - frame.left, width };
    });
    host.remove();
    return out;
  });
  assert.ok(legend.length > 0, 'the radar has a legend');
  for (const l of legend) {
    assert.doesNotMatch(l.text, /…|\.\.\.$/, `legend label cut short: ${l.text}`);
    assert.ok(l.right <= l.width + 1, `legend label "${l.text}" runs past the figure (${l.right} > ${l.width})`);
  }
});

test('report: the study report of the cine is exported as a PDF that pdftotext reads', { timeout: 240_000 }, async () => {
  await openScreen(page, 'reports', 'Reports');
  const study = query('SELECT id FROM studies')[0]!.id as number;
  await page.locator(`tr[data-study="${study}"] button`).click();
  const model = page.locator('[data-field="model-path"]');
  if ((await model.inputValue()) !== runModel()) await model.fill(runModel());
  await page.locator('[data-action="compute"]').click();
  const outcome = page.getByTestId('report-outcome');
  await outcome.waitFor({ timeout: 180_000 });
  assert.equal(await outcome.getAttribute('data-ok'), 'true', (await outcome.textContent())!);
  await page.locator('tr[data-finding]').first().waitFor();
  const folder = join(scratch, 'exports');
  mkdirSync(folder);
  await page.locator('[data-field="folder"]').fill(folder);
  await page.locator('[data-field="name"]').fill('first-hour');
  await page.locator('[data-action="export-pdf"]').click();
  await page.locator('[data-testid="report-outcome"]', { hasText: /first-hour\.pdf|PDF/ }).waitFor({ timeout: 120_000 });
  assert.equal(await outcome.getAttribute('data-ok'), 'true', (await outcome.textContent())!);
  await shot('report');
  const text = pdfText(join(folder, 'first-hour.pdf'));
  for (const phrase of ['Research use, not a diagnosis', 'Probability of stenosis', 'Quantum contribution']) assert.ok(text.includes(phrase), phrase);
  assert.ok(readFileSync(join(folder, 'first-hour.pdf')).subarray(0, 5).toString('latin1') === '%PDF-');
  assert.deepEqual(pageErrors, []);
});
