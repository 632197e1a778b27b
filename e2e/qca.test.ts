// QCA in the Viewer, in Debian's Chromium against the real services: on the real 96-frame XA cine the suggested
// end-diastolic frame is marked on the frame slider at one of the file's R waves (dcmdump reads its R Wave Pointer),
// a catheter segment calibrates at 6 F, two clicks on a vessel draw its contours and figures with their unit and
// calibration, dragging the path re-traces it through the dropped point and dragging an edge point change them, and Save stores what the panel shows (read back from the catalog)
// and lists it; the panel's export writes the study's QCA PDF (pdftotext finds the MLD as shown, with its
// calibration) and SR (dciodvfy: no errors; dsrdump: the MLD in mm on the measured frame). Screen ↔ image points come
// from the frame canvas's on-screen box and its backing size.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { dciodvfyErrors, dsrdump, pdfText } from '../src-main/reports/testing/oracles.ts';
import { runOracle } from '../src-main/testing/oracle-tool.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { importFolder, openImage, waitForAllFrames } from './support/library-ui.ts';

const XA_DIR = join(sharedDataDir(), 'dicom', 'xa');
const CINE = join(XA_DIR, 'XA_cine_96f_jpeg_baseline.dcm');
// The catheter and a faint artery on the cine (docs/qca-validation.md, "Real runs"), image pixels.
const CATHETER = [{ x: 247, y: 40 }, { x: 238, y: 100 }];
const ARTERY = [{ x: 440, y: 60 }, { x: 412, y: 200 }];

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let instanceId: number;

before(async () => {
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  assert.equal(await importFolder(page, XA_DIR), 'succeeded');
  instanceId = await openImage(page, '[data-frames="96"]');
  await waitForAllFrames(page);
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

async function clickImage(p: Page, point: { x: number; y: number }): Promise<void> {
  const canvas = p.getByTestId('frame-canvas');
  const box = (await canvas.boundingBox())!;
  const size = await canvas.evaluate((c: HTMLCanvasElement) => ({ width: c.width, height: c.height }));
  await p.mouse.click(box.x + ((point.x + 0.5) * box.width) / size.width, box.y + ((point.y + 0.5) * box.height) / size.height);
}

const text = async (field: string) => ((await page.locator(`[data-field="qca-${field}"]`).textContent()) ?? '').trim();

test('the suggested end-diastolic frame is marked on the slider at one of the file\'s R waves and opens on click', async () => {
  const dump = runOracle('dcmdump', ['+P', '0028,6040', CINE], { subject: CINE, encoding: 'latin1' }).stdout;
  const rWaves = (/\(0028,6040\) US ([\d\\]+)/.exec(dump)?.[1] ?? '').split('\\').filter(Boolean).map(Number);
  assert.ok(rWaves.length > 0, `R Wave Pointer in the file: ${dump}`);
  const mark = page.locator('[data-testid="cine"] [data-mark-frame]');
  await mark.waitFor();
  const frame = Number(await mark.getAttribute('data-mark-frame'));
  // R Wave Pointer counts frames from 1; the Viewer's frames count from 0.
  assert.ok(rWaves.includes(frame + 1), `suggested frame ${frame + 1} among the R waves ${rWaves.join(', ')}`);
  await mark.click();
  await page.locator(`[data-testid="frame-canvas"][data-frame="${frame}"]`).waitFor();
});

test('catheter calibration, two clicks on the vessel, contours and figures with their calibration; an edge drag recomputes; Save stores and lists it; the export has it in the PDF and SR', async () => {
  const frame = Number(await page.getByTestId('frame-canvas').getAttribute('data-frame'));
  const panel = page.getByTestId('qca-panel');
  await panel.locator('[data-field="qca-calibration"]').selectOption('catheter');
  await panel.locator('[data-field="qca-french"]').selectOption('6');
  await panel.locator('[data-action="qca-catheter"]').click();
  await clickImage(page, CATHETER[0]!);
  await clickImage(page, CATHETER[1]!);
  await page.locator('[data-testid="qca-layer"][data-picking="vessel"]').waitFor();
  await clickImage(page, ARTERY[0]!);
  await clickImage(page, ARTERY[1]!);
  await page.locator('[data-testid="qca-layer"][data-measured="true"]').waitFor({ timeout: 60_000 });
  const contourPoints = await page.locator('[data-qca="left-contour"]').getAttribute('points');
  assert.ok((contourPoints ?? '').split(' ').length > 50, 'the left contour follows the segment');
  assert.equal(await page.locator('[data-testid="qca-figures"]').getAttribute('data-unit'), 'mm');
  assert.match(await text('calibration-used'), /^catheter \d\.\d{4} mm\/px$/);
  const mldBefore = await text('mld');
  assert.match(mldBefore, /^\d+\.\d{2} mm$/);
  assert.match(await text('ds'), /^\d+\.\d %$/);
  assert.match(await text('as'), /^\d+\.\d %$/);
  assert.match(await text('length'), /^\d+\.\d{2} mm$/);
  assert.equal(await page.getByTestId('qca-curve').locator('polyline').count(), 2, 'diameter and reference lines');
  await keepScreenshot(page, 'qca-measured');

  // Drag the path: the centreline's middle handle 3 image pixels across the vessel; the path is re-traced through the
  // dropped point (start → waypoint → end) and the edges and figures recomputed.
  const screenPerImagePixel = await page.getByTestId('frame-canvas').evaluate((c: HTMLCanvasElement) => c.getBoundingClientRect().width / c.width);
  const normal = await page.locator('[data-qca="mld"]').evaluate((l: SVGLineElement) => {
    const [dx, dy] = [l.x2.baseVal.value - l.x1.baseVal.value, l.y2.baseVal.value - l.y1.baseVal.value];
    return { x: dx / Math.hypot(dx, dy), y: dy / Math.hypot(dx, dy) };
  });
  const figuresBefore = [await text('mld'), await text('length'), await text('ds')].join(' | ');
  const centreBefore = await page.locator('[data-qca="centreline"]').getAttribute('points');
  const pathHandles = page.locator('[data-testid="qca-layer"] [data-path]');
  assert.ok((await pathHandles.count()) >= 3, 'path handles along the centreline');
  const middle = pathHandles.nth(1);
  const handleBox = (await middle.boundingBox())!;
  const grab = { x: handleBox.x + handleBox.width / 2, y: handleBox.y + handleBox.height / 2 };
  const drop = { x: grab.x + normal.x * 3 * screenPerImagePixel, y: grab.y + normal.y * 3 * screenPerImagePixel };
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  await page.mouse.move(drop.x, drop.y, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction((before) => document.querySelector('[data-qca="centreline"]')?.getAttribute('points') !== before, centreBefore, { timeout: 60_000 });
  await page.waitForFunction((before) => ['mld', 'length', 'ds'].map((f) => document.querySelector(`[data-field="qca-${f}"]`)?.textContent?.trim()).join(' | ') !== before, figuresBefore);
  const layerAt = (await page.getByTestId('qca-layer').boundingBox())!;
  const centreline = ((await page.locator('[data-qca="centreline"]').getAttribute('points')) ?? '').split(' ').map((xy) => xy.split(',').map(Number) as [number, number]);
  const miss = Math.min(...centreline.map(([x, y]) => Math.hypot(layerAt.x + x - drop.x, layerAt.y + y - drop.y))) / screenPerImagePixel;
  assert.ok(miss < 1.5, `the re-traced centreline passes through the dropped point (${miss.toFixed(2)} image px away)`);
  await keepScreenshot(page, 'qca-path-dragged');

  // Drag the right edge at the MLD outward (away from the left edge), by 4 image pixels' worth of screen.
  const mldLine = page.locator('[data-qca="mld"]');
  const [x1, y1, x2, y2] = await mldLine.evaluate((l: SVGLineElement) => [l.x1.baseVal.value, l.y1.baseVal.value, l.x2.baseVal.value, l.y2.baseVal.value]);
  const layerBox = (await page.getByTestId('qca-layer').boundingBox())!;
  const canvasBox = (await page.getByTestId('frame-canvas').boundingBox())!;
  const screenPerPixel = canvasBox.width / (await page.getByTestId('frame-canvas').evaluate((c: HTMLCanvasElement) => c.width));
  const length = Math.hypot(x2! - x1!, y2! - y1!);
  const [ux, uy] = [(x2! - x1!) / length, (y2! - y1!) / length];
  const from = { x: layerBox.x + x2!, y: layerBox.y + y2! };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + ux * 4 * screenPerPixel, from.y + uy * 4 * screenPerPixel, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction((before) => document.querySelector('[data-field="qca-mld"]')?.textContent?.trim() !== before, mldBefore);
  assert.ok(Number.parseFloat(await text('mld')) > Number.parseFloat(mldBefore), 'widening the narrowest point raises the MLD');

  await page.locator('[data-field="qca-reader"]').fill('reader-e2e');
  await page.locator('[data-action="qca-save"]').click();
  await page.getByTestId('qca-saved').locator('li[data-qca-id]').first().waitFor();
  const id = Number(await page.getByTestId('qca-saved').locator('li[data-qca-id]').first().getAttribute('data-qca-id'));
  const row = harness.ctx.store.db
    .prepare('SELECT instance_id AS instanceId, frame_index AS frame, calibration_method AS method, mm_per_pixel AS mmPerPixel, mld, diameter_stenosis_pct AS ds, reader, points_json AS points FROM qca_measurements WHERE id = ?')
    .get(id) as { instanceId: number; frame: number; method: string; mmPerPixel: number; mld: number; ds: number; reader: string; points: string };
  assert.deepEqual([row.instanceId, row.frame, row.method, row.reader], [instanceId, frame, 'catheter', 'reader-e2e']);
  assert.equal(JSON.parse(row.points).waypoints.length, 1, 'the dragged path\'s waypoint is stored with the points');
  assert.equal(`${row.mld.toFixed(2)} mm`, await text('mld'), 'the stored MLD is the one shown');
  assert.equal(`${row.ds.toFixed(1)} %`, await text('ds'));
  assert.equal(`catheter ${row.mmPerPixel.toFixed(4)} mm/px`, await text('calibration-used'));
  const audit = harness.ctx.store.db.prepare("SELECT reader FROM audit_log WHERE action = 'qca.save' AND object_id = ?").get(String(id)) as { reader: string } | undefined;
  assert.equal(audit?.reader, 'reader-e2e');
  await keepScreenshot(page, 'qca-saved');

  // The study's QCA report from the panel: the PDF prints the figures as shown, the SR carries them on the frame.
  const folder = mkdtempSync(join(tmpdir(), 'angio-e2e-qca-'));
  try {
    await page.locator('[data-field="qca-export-folder"]').fill(folder);
    await page.locator('[data-action="qca-export"]').click();
    await page.getByTestId('qca-panel').locator('[role="status"]', { hasText: 'Exported 1 QCA measurement' }).waitFor();
    const files = readdirSync(folder).sort();
    assert.equal(files.length, 2, files.join(', '));
    const pdf = join(folder, files.find((f) => f.endsWith('-QCA.pdf'))!);
    const sr = join(folder, files.find((f) => f.endsWith('-QCA-SR.dcm'))!);
    const printed = pdfText(pdf).replace(/\s+/g, ' ');
    assert.ok(printed.includes(`MLD ${await text('mld')} (catheter calibration, ${row.mmPerPixel.toFixed(4)} mm/px)`), printed.slice(0, 1500));
    assert.ok(printed.includes(`frame ${frame + 1}`));
    assert.deepEqual(dciodvfyErrors(sr), []);
    const dump = dsrdump(sr);
    assert.deepEqual(dump.problems, []);
    const dumped = /NUM:\(,,"Minimum lumen diameter"\)="([\d.]+)" \(mm,UCUM/.exec(dump.output);
    assert.ok(dumped && Math.abs(Number(dumped[1]) - row.mld) < 1e-6, `the SR's MLD: ${dumped?.[1]} vs ${row.mld}`);
    assert.match(dump.output, new RegExp(`selected from IMAGE:\\(,,"Source of Measurement"\\)=\\(XA image,,${frame + 1}\\)`));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  assert.deepEqual(pageErrors, []);
});
