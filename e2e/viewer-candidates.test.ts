// Predict on a real XA cine frame in Debian's Chromium: the 512² frame is larger than the model's 64-pixel patch, so
// the Viewer asks for the scan's lesion candidates and draws each box on the frame with its probability, dropout
// uncertainty and reading in the report's words (oracle: a separate InferenceService in this process on the
// original file). The study report exported from the Reports screen for the same frame then carries the same
// candidates and caveats: poppler's pdftotext reads them from the PDF, dcmtk's dsrdump from the DICOM SR, each with
// the frames its lesion is seen on across the run (oracle: the service's scans of the neighbouring frames grouped by
// scipy's connected components).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { projectRoot, sharedDataDir } from '../src-main/app/paths.ts';
import { InferenceService, type LocatedFindings } from '../src-main/inference/inference-service.ts';
import { frameRangeWords, RUN_REACH } from '../src-main/inference/index.ts';
import { fixtureModel } from '../src-main/inference/testing/fixture-model.ts';
import { scipyGroups } from '../src-main/inference/testing/scipy-groups.ts';
import { dsrdump, pdfText } from '../src-main/reports/testing/oracles.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { importFolder, openImage, waitInPage } from './support/library-ui.ts';

const XA_DIR = join(sharedDataDir(), 'dicom', 'xa');
const CINE_FILE = join(XA_DIR, 'XA_cine_96f_jpeg_baseline.dcm');

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let work: string;
let modelPath: string;
let keyFrame: number;
let expected: Extract<LocatedFindings, { kind: 'scan' }>;
const oracle = new InferenceService({ appRoot: projectRoot() });

/** What the Viewer drew: one entry per candidate box, in its order. */
interface DrawnBox {
  x: number;
  y: number;
  width: number;
  height: number;
  probability: number;
  uncertainty: number;
  ood: boolean;
  score: string;
  reading: string;
  seenOn: string;
}
let drawn: DrawnBox[] = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'angio-e2e-candidates-'));
  modelPath = join(work, 'model.angio');
  writeFileSync(modelPath, (await fixtureModel(7)).bytes);
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  assert.equal(await importFolder(page, XA_DIR), 'succeeded');
  const instanceId = await openImage(page, '[data-frames="96"]');
  // The frame the report reads by default (the run's key frame), so the Viewer and the report read the same one.
  keyFrame = (harness.ctx.store.db.prepare('SELECT coalesce(key_frame, 0) AS frame FROM instances WHERE id = ?').get(instanceId) as { frame: number }).frame;
  const found = await oracle.locate({ modelPath, imagePath: CINE_FILE, frame: keyFrame });
  assert.equal(found.kind, 'scan', 'the 512² frame is scanned by the oracle too');
  expected = found as typeof expected;
});

after(async () => {
  await browser?.close();
  await harness?.close();
  await oracle.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function showFrame(frame: number): Promise<void> {
  await page.locator('input[aria-label="Frame"]').evaluate((slider: HTMLInputElement, f) => {
    slider.value = String(f);
    slider.dispatchEvent(new Event('input', { bubbles: true }));
  }, frame);
  await waitInPage(page, (f) => document.querySelector('[data-testid="frame-canvas"]')?.getAttribute('data-frame') === String(f), frame);
}

/** Each candidate's frame range: the oracle's top regions on up to RUN_REACH frames either side, grouped by scipy. */
let rangesOnce: Promise<string[]> | null = null;
const expectedRanges = (): Promise<string[]> => (rangesOnce ??= computeRanges());
async function computeRanges(): Promise<string[]> {
  const candidates = expected.scan.candidates.map((c) => ({ frame: c.frame, x: c.x, y: c.y, width: c.width, height: c.height, probability: c.probability }));
  const boxes = [...candidates];
  for (let f = Math.max(0, keyFrame - RUN_REACH); f <= Math.min(95, keyFrame + RUN_REACH); f++) {
    if (f === keyFrame) continue;
    const scan = await oracle.heatmap({ modelPath, imagePath: CINE_FILE, frame: f }, { patchSize: candidates[0]!.width, stride: candidates[0]!.width >> 1 });
    boxes.push(...scan.regions.map((r) => ({ frame: f, x: r.x, y: r.y, width: r.size, height: r.size, probability: r.probability })));
  }
  const groups = scipyGroups(boxes);
  return candidates.map((_, i) => {
    const frames = groups.find((g) => g.includes(i))!.map((index) => boxes[index]!.frame);
    return frameRangeWords(Math.min(...frames), Math.max(...frames));
  });
}

const readingFor = (probability: number, ood: boolean) => (ood ? 'out of distribution (unlike the training images)' : probability >= expected.threshold ? 'stenosis suspected' : 'no stenosis suspected');

test('Predict on the cine frame scans it and draws the candidates\' boxes with their caveats and frame ranges, as the service finds them', async () => {
  await page.getByTestId('viewport').focus();
  await page.keyboard.press('m');
  await page.locator('#predict-model-path').fill(modelPath);
  await page.locator('#predict-model-path').press('Enter');
  await page.locator('[data-testid="predict-panel"] [data-testid="model-summary"][data-loaded="yes"]').waitFor();
  await showFrame(keyFrame);
  await page.getByTestId('viewport').focus();
  await page.keyboard.press('Shift+P');
  const panel = page.locator(`[data-testid="candidates"][data-state="current"][data-frame="${keyFrame}"]`);
  await panel.waitFor({ timeout: 120_000 });
  assert.equal(await page.locator('[data-testid="readout"]').count(), 0, 'no whole-frame readout: the frame was never read as one patch');

  const candidates = expected.scan.candidates;
  assert.equal(Number(await panel.getAttribute('data-count')), candidates.length);
  assert.equal(Number(await page.getByTestId('map-layer').getAttribute('data-candidates')), candidates.length);
  assert.equal(Number(await panel.locator('[data-field="probability"]').first().getAttribute('data-value')), candidates[0]!.probability, "the frame's score is its best candidate's");
  assert.match((await panel.locator('[data-field="window"]').textContent()) ?? '', /64-pixel window: no physical scale is known for the model's training patches, so the window is in pixels/);

  const boxes = page.locator('[data-testid="map-layer"] g.candidate');
  assert.equal(await boxes.count(), candidates.length);
  const frameBox = (await page.getByTestId('frame-canvas').boundingBox())!;
  const scale = frameBox.width / expected.width;
  drawn = [];
  for (const [i, c] of candidates.entries()) {
    const g = boxes.nth(i);
    const number = async (name: string) => Number(await g.getAttribute(name));
    const box: DrawnBox = {
      x: await number('data-x'), y: await number('data-y'), width: await number('data-width'), height: await number('data-height'),
      probability: await number('data-probability'), uncertainty: await number('data-uncertainty'), ood: (await g.getAttribute('data-ood')) === 'true',
      score: (await g.locator('[data-field="score"]').textContent()) ?? '', reading: (await g.locator('[data-field="reading"]').textContent()) ?? '',
      seenOn: (await panel.locator(`tr[data-candidate="${i + 1}"] [data-field="seen-on"]`).textContent()) ?? '',
    };
    drawn.push(box);
    assert.deepEqual([box.x, box.y, box.width, box.height], [c.x, c.y, c.width, c.height], `box ${i + 1}`);
    assert.equal(box.probability, c.probability, `box ${i + 1} probability`);
    assert.equal(box.uncertainty, c.uncertainty, `box ${i + 1} dropout uncertainty`);
    assert.equal(box.ood, c.ood.outOfDistribution, `box ${i + 1} OOD state`);
    assert.equal(box.score, `${i + 1} · ${c.probability.toFixed(3)} ± ${c.uncertainty.toFixed(3)}`);
    assert.equal(box.reading, readingFor(c.probability, c.ood.outOfDistribution), `box ${i + 1} reads in the report's words`);
    // The outline lies on the frame where the box is: its screen rectangle is the box scaled like the frame.
    const rect = (await g.locator('rect').boundingBox())!;
    assert.ok(Math.abs(rect.x + rect.width / 2 - (frameBox.x + (c.x + c.width / 2) * scale)) < 2, `box ${i + 1} centred on its region (x)`);
    assert.ok(Math.abs(rect.y + rect.height / 2 - (frameBox.y + (c.y + c.height / 2) * scale)) < 2, `box ${i + 1} centred on its region (y)`);
    assert.ok(Math.abs(rect.width - c.width * scale) < 4, `box ${i + 1} side on screen`);
    const row = panel.locator(`tr[data-candidate="${i + 1}"]`);
    assert.equal(await row.locator('[data-field="uncertainty"]').textContent(), `± ${c.uncertainty.toFixed(3)}`);
    assert.equal(await row.locator('[data-field="reading"]').textContent(), box.reading);
  }
  assert.deepEqual(drawn.map((b) => b.seenOn), await expectedRanges(), 'each candidate is followed over the run to the frames its lesion is seen on');
  const best = candidates[0]!;
  const oodText = (await panel.locator('[data-field="ood"]').textContent())?.replace(/\s+/g, ' ').trim();
  assert.equal(oodText, best.ood.outOfDistribution ? `Unlike the training images: ${best.ood.reasons.join('; ')}. Treat this reading with caution.` : 'Like the training images.');
  await keepScreenshot(page, 'viewer-candidates');

  await page.keyboard.press('s');
  await page.locator('[data-testid="map-layer"][data-candidates="0"]').waitFor();
  await page.keyboard.press('s');
  await page.locator(`[data-testid="map-layer"][data-candidates="${candidates.length}"]`).waitFor();
  await page.keyboard.press('ArrowRight');
  await page.locator('[data-testid="map-layer"][data-candidates="0"]').waitFor();
  assert.equal(await page.getByTestId('candidates').getAttribute('data-state'), 'stale', 'boxes of one frame are never drawn over another');
  await page.keyboard.press('ArrowLeft');
  await page.locator(`[data-testid="map-layer"][data-candidates="${candidates.length}"]`).waitFor();
});

test('the exported PDF and SR of the same frame carry the same candidates and caveats (pdftotext, dsrdump)', async () => {
  assert.ok(drawn.length > 0, 'the Viewer drew candidates');
  await page.locator('nav [data-route="reports"]').click();
  await page.locator('h1#screen-title', { hasText: 'Reports' }).waitFor();
  const study = (harness.ctx.store.db.prepare('SELECT r.study_id AS id FROM instances i JOIN series r ON r.id = i.series_id WHERE i.frames = 96').get() as { id: number }).id;
  await page.locator(`tr[data-study="${study}"] button`).click();
  await page.locator('[data-field="model-path"]').fill(modelPath);
  await page.locator('[data-action="compute"]').click();
  const outcome = async () => {
    const box = page.getByTestId('report-outcome');
    await box.waitFor({ timeout: 180_000 });
    return { ok: (await box.getAttribute('data-ok')) === 'true', text: (await box.textContent()) ?? '' };
  };
  const computed = await outcome();
  assert.ok(computed.ok, computed.text);
  const folder = join(work, 'exports');
  mkdirSync(folder);
  await page.locator('[data-field="folder"]').fill(folder);
  await page.locator('[data-field="name"]').fill('cine');
  await page.locator('[data-action="export-pdf"]').click();
  const pdf = await outcome();
  assert.ok(pdf.ok, pdf.text);
  await page.locator('[data-action="export-research"]').click();
  const sr = await outcome();
  assert.ok(sr.ok, sr.text);

  const text = pdfText(join(folder, 'cine.pdf'));
  assert.ok(text.includes(`Lesion candidates on frame ${keyFrame + 1}`), 'the PDF lists the candidates of the frame the Viewer read');
  assert.ok(text.includes(`${(100 * drawn[0]!.probability).toFixed(1)} % (best lesion candidate)`), "the PDF's frame score is the best candidate's");
  const rows = text.split('\n').filter((line) => /^\s*\d+\s+\d+, \d+, \d+ x \d+\s/.test(line));
  const ranges = drawn.map((b) => b.seenOn);
  assert.equal(rows.length, drawn.length, 'one PDF row per drawn box');
  for (const [i, box] of drawn.entries()) {
    const row = rows[i]!.replace(/\s+/g, ' ').trim();
    const [score, uncertainty] = box.score.split(' · ')[1]!.split(' ± ');
    assert.ok(row.startsWith(`${i + 1} ${box.x}, ${box.y}, ${box.width} x ${box.height} ${(100 * Number(score)).toFixed(1)} % ± ${uncertainty} `), `PDF row ${i + 1} "${row}" shows box ${JSON.stringify(box)}`);
    // The reading column may wrap in the PDF: its first words are on the row.
    assert.ok(row.includes(box.reading) || (box.ood && row.includes('out of distribution')), `PDF row ${i + 1} reads "${box.reading}"`);
    assert.ok(row.endsWith(ranges[i]!), `PDF row ${i + 1} "${row}" is seen on ${ranges[i]}`);
  }
  if (drawn[0]!.ood) assert.match(text, /Unlike the training images:/, "the best candidate's caveat is in the PDF");

  const dump = dsrdump(join(folder, 'cine-SR.dcm'));
  assert.deepEqual(dump.problems, []);
  const containers = dump.output.split('CONTAINER:(,,"Lesion candidate")').slice(1);
  assert.equal(containers.length, drawn.length, 'one SR candidate per drawn box');
  const meaning = { 'out of distribution (unlike the training images)': 'Out of distribution (unlike the training images)', 'stenosis suspected': 'Coronary stenosis suspected by model', 'no stenosis suspected': 'No coronary stenosis suspected by model' } as Record<string, string>;
  for (const [i, box] of drawn.entries()) {
    const item = containers[i]!;
    assert.ok(item.includes(`SCOORD:(,,"Image Region")=(POLYLINE,${box.x}/${box.y},`), `SR candidate ${i + 1} outlines the box at ${box.x}, ${box.y}`);
    assert.ok(item.includes(`"${meaning[box.reading]}"`), `SR candidate ${i + 1} reads "${box.reading}"`);
    const spread = /MC dropout standard deviation of probability"\)="([^"]+)"/.exec(item);
    assert.ok(spread && Math.abs(Number(spread[1]) - box.uncertainty) < 1e-6, `SR candidate ${i + 1} carries the dropout uncertainty ${box.uncertainty} (${spread?.[1]})`);
    assert.equal(item.includes('Unlike the training images'), box.ood, `SR candidate ${i + 1} carries its OOD caveat`);
    assert.ok(item.includes(`TEXT:(,,"Frames the lesion is seen on")="${ranges[i]}"`), `SR candidate ${i + 1} is seen on ${ranges[i]}`);
  }
});

test('the page ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
