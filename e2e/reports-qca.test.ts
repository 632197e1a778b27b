// The Reports screen's QCA export in Debian's Chromium against the real services: with a measurement saved on the
// real cine (catheter calibration, through the QCA service), the button writes the study's QCA PDF (pdftotext finds
// the MLD with its calibration) and SR (dciodvfy: no errors; dsrdump: the MLD in mm); a study without measurements
// is refused with the reason and nothing is written.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { IngestService } from '../src-main/ingest/service.ts';
import { QcaService, type SavedMeasurement } from '../src-main/qca/index.ts';
import { dciodvfyErrors, dsrdump, pdfText } from '../src-main/reports/testing/oracles.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let work: string;
let cineStudy: number;
let otherStudy: number;
let saved: SavedMeasurement;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'angio-e2e-reports-qca-'));
  harness = await startHarness();
  const ingest = new IngestService({ store: harness.ctx.store, dataDir: harness.ctx.dataDir });
  await ingest.runImport('e2e-reports-qca', { root: join(sharedDataDir(), 'dicom', 'xa') }, { progress: () => {}, throwIfCancelled: () => {} });
  ingest.close();
  const cine = harness.ctx.store.db.prepare('SELECT i.id AS instanceId, r.study_id AS studyId FROM instances i JOIN series r ON r.id = i.series_id WHERE i.frames = 96').get() as { instanceId: number; studyId: number };
  cineStudy = cine.studyId;
  otherStudy = (harness.ctx.store.db.prepare('SELECT id FROM studies WHERE id != ? LIMIT 1').get(cineStudy) as { id: number }).id;
  const qca = new QcaService({ store: harness.ctx.store, dataDir: harness.ctx.dataDir });
  const measurement = await qca.measure({
    instanceId: cine.instanceId, frame: 52, start: { x: 440, y: 60 }, end: { x: 412, y: 200 },
    calibration: { method: 'catheter', french: 6, start: { x: 247, y: 40 }, end: { x: 238, y: 100 } },
  });
  saved = qca.save(cine.instanceId, measurement, 'reader-r');
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

async function exportQca(studyId: number, folder: string): Promise<{ ok: boolean; text: string }> {
  await page.locator(`tr[data-study="${studyId}"] button`).click();
  await page.locator('[data-field="folder"]').fill(folder);
  await page.locator('[data-field="name"]').fill(`study-${studyId}`);
  await page.locator('[data-action="export-qca"]').click();
  const box = page.getByTestId('report-outcome');
  await page.waitForFunction(() => !document.querySelector('.busy'));
  await box.waitFor({ timeout: 120_000 });
  return { ok: (await box.getAttribute('data-ok')) === 'true', text: (await box.textContent()) ?? '' };
}

test('the QCA export button writes the study\'s QCA PDF and SR with the saved figures and their calibration', async () => {
  const folder = join(work, 'qca');
  mkdirSync(folder);
  const answer = await exportQca(cineStudy, folder);
  assert.ok(answer.ok, answer.text);
  assert.match(answer.text, /QCA report written in research mode: 1 measurement/);
  const files = readdirSync(folder).sort();
  assert.deepEqual(files, [`study-${cineStudy}-QCA-SR.dcm`, `study-${cineStudy}-QCA.pdf`]);
  const m = saved.measurement;
  const printed = pdfText(join(folder, files[1]!)).replace(/\s+/g, ' ');
  assert.ok(printed.includes(`MLD ${m.mld.toFixed(2)} mm (catheter calibration, ${m.calibration.mmPerPixel!.toFixed(4)} mm/px)`), printed.slice(0, 1500));
  const sr = join(folder, files[0]!);
  assert.deepEqual(dciodvfyErrors(sr), []);
  const dump = dsrdump(sr);
  assert.deepEqual(dump.problems, []);
  const dumped = /NUM:\(,,"Minimum lumen diameter"\)="([\d.]+)" \(mm,UCUM/.exec(dump.output);
  assert.ok(dumped && Math.abs(Number(dumped[1]) - m.mld) < 1e-6, `the SR's MLD: ${dumped?.[1]} vs ${m.mld}`);
  await keepScreenshot(page, 'reports-qca-export');
});

test('a study without saved QCA measurements is refused with the reason, and nothing is written', async () => {
  const folder = join(work, 'none');
  mkdirSync(folder);
  const answer = await exportQca(otherStudy, folder);
  assert.equal(answer.ok, false);
  assert.match(answer.text, /no saved QCA measurements/);
  assert.deepEqual(readdirSync(folder), []);
  assert.deepEqual(pageErrors, []);
});
