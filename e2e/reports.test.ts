// The Reports screen in Debian's Chromium against the real services: the two modes stated, findings computed with a
// real model file through the UI, a study PDF and DICOM exports written and checked with poppler, dciodvfy and
// dsrdump, PACS mode refused with its reason when the vault is off, and bad input answered with a clear message.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { IngestService } from '../src-main/ingest/service.ts';
import { fixtureModel } from '../src-main/inference/testing/fixture-model.ts';
import { dciodvfyErrors, dsrdump, pdfImages, pdfText, renderPdf } from '../src-main/reports/testing/oracles.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { ARTIFACTS_DIR, keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let work: string;
let modelPath: string;
let cineStudy: number;
let otherStudy: number;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'angio-e2e-reports-'));
  harness = await startHarness();
  const ingest = new IngestService({ store: harness.ctx.store, dataDir: harness.ctx.dataDir });
  await ingest.runImport('e2e-reports', { root: join(sharedDataDir(), 'dicom', 'xa') }, { progress: () => {}, throwIfCancelled: () => {} });
  ingest.close();
  const ids = harness.ctx.store.db.prepare('SELECT r.study_id AS studyId, i.frames FROM instances i JOIN series r ON r.id = i.series_id ORDER BY i.frames DESC').all() as { studyId: number; frames: number }[];
  cineStudy = ids[0]!.studyId;
  otherStudy = ids.find((r) => r.studyId !== cineStudy)!.studyId;
  const model = await fixtureModel(7);
  modelPath = join(work, 'model.angio');
  writeFileSync(modelPath, model.bytes);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  await page.locator('nav [data-route="reports"]').click();
  await page.locator('h1#screen-title', { hasText: 'Reports' }).waitFor();
});

after(async () => {
  await browser?.close();
  await harness?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function outcome(): Promise<{ ok: boolean; text: string }> {
  const box = page.getByTestId('report-outcome');
  await box.waitFor({ timeout: 120_000 });
  return { ok: (await box.getAttribute('data-ok')) === 'true', text: (await box.textContent()) ?? '' };
}

async function fill(field: string, value: string): Promise<void> {
  await page.locator(`[data-field="${field}"]`).fill(value);
}

test('the screen states both modes and lists the imported studies', async () => {
  await page.locator('[data-mode="research"]').waitFor();
  assert.match((await page.locator('[data-mode="research"]').textContent()) ?? '', /De-identified/);
  assert.match((await page.locator('[data-mode="pacs"]').textContent()) ?? '', /Original patient identifiers/);
  assert.equal(await page.locator('[data-mode="pacs"]').getAttribute('data-available'), 'yes');
  await page.locator(`tr[data-study="${cineStudy}"]`).waitFor();
  assert.ok((await page.locator('tr[data-study]').count()) >= 2);
});

test('exporting a study with no prediction says so and writes nothing', async () => {
  const folder = join(work, 'none');
  mkdirSync(folder);
  await page.locator(`tr[data-study="${otherStudy}"] button`).click();
  await page.locator('[data-field="no-findings"]').waitFor();
  await fill('folder', folder);
  await fill('name', 'nothing');
  await page.locator('[data-action="export-pdf"]').click();
  const answer = await outcome();
  assert.equal(answer.ok, false);
  assert.match(answer.text, /no model prediction yet.*report-no-prediction/);
  assert.deepEqual(readdirSync(folder), []);
});

test('findings computed through the screen, then a study PDF and research and PACS DICOM exports that validate', async () => {
  await page.locator(`tr[data-study="${cineStudy}"] button`).click();
  await fill('model-path', modelPath);
  await page.locator('[data-action="compute"]').click();
  const computed = await outcome();
  assert.ok(computed.ok, computed.text);
  await page.locator('tr[data-finding]').first().waitFor();
  assert.equal(await page.locator('tr[data-finding]').count(), 1, 'one image instance in the cine study: its key frame');

  const folder = join(work, 'exports');
  mkdirSync(folder);
  await fill('folder', folder);
  await fill('name', 'cine');
  await page.locator('[data-action="export-pdf"]').click();
  const pdf = await outcome();
  assert.ok(pdf.ok, pdf.text);
  assert.match(pdf.text, /de-identified/);
  const pdfPath = join(folder, 'cine.pdf');
  const text = pdfText(pdfPath);
  for (const phrase of ['Research use, not a diagnosis', 'Model card', 'Probability of stenosis', 'Quantum contribution', 'RAO 32', 'Page 2 of 2']) assert.ok(text.includes(phrase), phrase);
  // The colour bar comes with the best candidate's saliency, which a flat box (a shutter edge) does not have.
  const saliencyShown = text.includes('Saliency');
  assert.equal(pdfImages(pdfPath).length, saliencyShown ? 2 : 1, `the key frame${saliencyShown ? ' and its colour bar' : ''}: ${JSON.stringify(pdfImages(pdfPath))}`);
  for (const [i, png] of renderPdf(pdfPath, join(work, 'cine-page')).entries()) copyFileSync(png, join(ARTIFACTS_DIR, `reports-study-pdf-page${i + 1}.png`));

  await page.locator('[data-action="export-research"]').click();
  const research = await outcome();
  assert.ok(research.ok, research.text);
  await fill('name', 'cine-pacs');
  await fill('reader', 'dr-e2e');
  await page.locator('[data-action="export-pacs"]').click();
  const pacs = await outcome();
  assert.ok(pacs.ok, pacs.text);
  const written = readdirSync(folder).sort();
  assert.deepEqual(written, ['cine-SC1.dcm', 'cine-SR.dcm', 'cine-pacs-SC1.dcm', 'cine-pacs-SR.dcm', 'cine.pdf']);
  for (const file of written.filter((f) => f.endsWith('.dcm'))) assert.deepEqual(dciodvfyErrors(join(folder, file)), [], file);
  for (const file of ['cine-SR.dcm', 'cine-pacs-SR.dcm']) assert.deepEqual(dsrdump(join(folder, file)).problems, [], file);
  const audit = harness.ctx.store.db.prepare("SELECT reader FROM audit_log WHERE action = 'export.dicom.pacs'").all() as { reader: string }[];
  assert.equal(audit[0]?.reader, 'dr-e2e');
  await keepScreenshot(page, 'reports');
});

test('a read-only target folder gets a clear message and no partial file', async (t) => {
  const folder = join(work, 'readonly');
  mkdirSync(folder);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro', 'tmpfs', folder], { encoding: 'utf8' });
  if (mount.status !== 0) {
    t.skip(`cannot mount a read-only tmpfs here (${mount.stderr.trim()})`);
    return;
  }
  try {
    await fill('folder', folder);
    await fill('name', 'blocked');
    await page.locator('[data-action="export-research"]').click();
    const answer = await outcome();
    assert.equal(answer.ok, false);
    assert.match(answer.text, /read-only file system\. Nothing was written.*export-folder-unwritable/);
    await keepScreenshot(page, 'reports-read-only');
  } finally {
    spawnSync('umount', [folder]);
  }
  assert.deepEqual(readdirSync(folder), []);
});

test('a file name that is a path is refused', async () => {
  await fill('folder', join(work, 'exports'));
  await fill('name', '../escape');
  await page.locator('[data-action="export-pdf"]').click();
  const answer = await outcome();
  assert.equal(answer.ok, false);
  assert.match(answer.text, /cannot be used as an export file name/);
  assert.ok(!existsSync(join(work, 'escape.pdf')));
});

test('with the vault off, PACS mode is shown as unavailable with the reason', async () => {
  const result = await page.evaluate(async () => {
    const angio = (window as unknown as { angio: import('../src-preload/api.ts').AngioApi }).angio;
    return angio.invoke['deid.vault.set']({ enabled: false, reader: 'dr-e2e' });
  });
  assert.ok(result.ok);
  await page.locator('nav [data-route="library"]').click();
  await page.locator('nav [data-route="reports"]').click();
  await page.locator('[data-mode="pacs"][data-available="no"]').waitFor();
  assert.match((await page.locator('[data-field="pacs-reason"]').textContent()) ?? '', /vault is turned off/);
  assert.equal(await page.locator('[data-action="export-pacs"]').isDisabled(), true);
  await keepScreenshot(page, 'reports-vault-off');
});

test('the page ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
