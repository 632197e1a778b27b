// A newcomer reaching things, walked in Debian's Chromium at 1280×800 against the real services: every Results row
// of a run trained on a folder opens its image in the Viewer (found in that run's own test folder by content), and
// Curation previews the item under the cursor and opens it; inputs stop at the contract's limits and refused input
// is a sentence naming the field, banners never pile up and are gone after leaving the screen; the Viewer says which
// model it will use or has loaded (file, run, date) and offers the recent ones and "Open model file…"; the Library
// tree is one tab stop walked with the arrows, Home and End, focus lands on the opened screen, and the Curation grid
// is reached with Tab and walked with arrows and Home/End.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { writePatchFolder } from '../src-main/dataset/testing/patch-folders.ts';
import { fixtureModel } from '../src-main/inference/testing/fixture-model.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { contractInvoke, openScreen } from './support/contract.ts';
import { importFolder, waitInPage } from './support/library-ui.ts';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let scratch: string;
let trained: string;
let runId: string;
let fixturePath: string;

type Row = Record<string, unknown>;
const query = (sql: string, ...args: (string | number)[]): Row[] => harness.ctx.store.db.prepare(sql).all(...args) as Row[];
const QUICK = { method: 'supervised', encoder: 'simple_cnn', imageSize: 32, batchSize: 8, seed: 0, finetune: { epochs: 1, maxStepsPerEpoch: 4, patience: 1 } } as const;

/** Width and height from a PNG's IHDR chunk, read from the bytes (not through the app's decoder). */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

const focused = () => page.evaluate(() => {
  const el = document.activeElement as HTMLElement | null;
  return { tag: el?.tagName ?? '', role: el?.getAttribute('role') ?? '', label: el?.getAttribute('aria-label') ?? '', testid: el?.dataset.testid ?? '', item: el?.dataset.itemId ?? '', id: el?.id ?? '' };
});

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'angio-first-hour-reach-'));
  // A labelled folder the run trains on; it is never imported, so none of its images is in the library.
  const patches = ['train', 'val', 'test'].flatMap((part) => ['positive', 'negative'].flatMap((label) => Array.from({ length: part === 'train' ? 8 : 4 }, (_, i) => ({ path: `${part}/${label}/${part}-${label}-${i}.png` }))));
  trained = writePatchFolder(join(scratch, 'trained'), patches, 'reach-');
  const model = await fixtureModel(7);
  fixturePath = join(scratch, 'fixture', 'model.angio');
  mkdirSync(join(scratch, 'fixture'));
  writeFileSync(fixturePath, model.bytes);
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
  await page.locator('h1#screen-title', { hasText: 'Library' }).waitFor();
  // Library items of their own: labelled patches for Curation and one XA cine for the tree.
  const library = writePatchFolder(join(scratch, 'library'), Array.from({ length: 10 }, (_, i) => ({ path: `${i % 2 ? 'positive' : 'negative'}/lib-${i}.png` })), 'lib-');
  assert.equal(await importFolder(page, library), 'succeeded');
  const cine = join(scratch, 'cine');
  mkdirSync(cine);
  copyFileSync(join(sharedDataDir(), 'dicom', 'xa', 'XA1_UNC.dcm'), join(cine, 'XA1_UNC.dcm'));
  assert.equal(await importFolder(page, cine), 'succeeded');
  runId = (await contractInvoke(page)('training.start', { config: QUICK, dataset: { labeledRoot: trained, unlabeledDir: null } })).runId;
  for (let i = 0; i < 1200; i++) {
    const run = (await contractInvoke(page)('training.listRuns', {})).runs.find((r) => r.id === runId)!;
    if (run.status !== 'running') {
      assert.equal(run.status, 'succeeded', JSON.stringify(run));
      break;
    }
    await page.waitForTimeout(250);
  }
});

after(async () => {
  await browser?.close();
  await harness?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('every Results row of a folder-trained run opens its own image in the Viewer, by click or by Enter', { timeout: 180_000 }, async () => {
  await openScreen(page, 'results', 'Results');
  const rows = page.locator('[data-testid="predictions"] tbody tr');
  await rows.first().waitFor({ timeout: 120_000 });
  const testFiles = readdirSync(join(trained, 'test'), { recursive: true }).map(String).filter((f) => f.endsWith('.png'));
  const bySha = new Map(testFiles.map((f) => [createHash('sha256').update(readFileSync(join(trained, 'test', f))).digest('hex'), join(trained, 'test', f)]));
  assert.equal(await rows.count(), bySha.size, 'one row per test image');
  assert.equal(await page.locator('[data-testid="predictions"] tbody tr:not([data-item-id=""])').count(), 0, 'none of them is in the library');

  for (const [index, how] of [[0, 'click'], [3, 'enter']] as const) {
    await openScreen(page, 'results', 'Results');
    const row = rows.nth(index);
    const imageId = (await row.getAttribute('data-image-id'))!;
    const file = bySha.get(imageId);
    assert.ok(file, `row ${index} is one of the run's test images`);
    if (how === 'click') await row.click();
    else {
      await row.focus();
      await page.keyboard.press('Enter');
    }
    await page.locator('h1#screen-title', { hasText: 'Viewer' }).waitFor();
    await page.locator(`[data-testid="stage"][data-image-id="${imageId}"] [data-testid="frame-canvas"]`).waitFor();
    const words = (await page.getByTestId('viewer-test-image').textContent())!.replace(/\s+/g, ' ');
    const { width, height } = pngSize(file!);
    assert.ok(words.includes(basename(file!)) && words.includes(`${width}×${height}`), words);
    assert.ok(words.includes(file!.includes('/positive/') ? 'positive' : 'negative'), words);
  }
  await keepScreenshot(page, 'first-hour-results-row-in-viewer');
});

test('Curation previews the item under the cursor and opens it in the Viewer (button, Enter, double click)', { timeout: 120_000 }, async () => {
  await openScreen(page, 'curation', 'Curation');
  const cells = page.locator('[data-testid="item-grid"] .cell[data-item-id]');
  await cells.nth(2).waitFor();
  const id = (await cells.nth(2).getAttribute('data-item-id'))!;
  await cells.nth(2).click();
  await page.locator(`[data-testid="curation-preview"][data-item-id="${id}"] canvas[data-loaded="${id}"]`).waitFor();
  await keepScreenshot(page, 'first-hour-curation-preview');
  await page.locator('[data-action="open-item-in-viewer"]').click();
  await page.locator(`[data-testid="stage"][data-item-id="${id}"] [data-testid="frame-canvas"]`).waitFor();

  await openScreen(page, 'curation', 'Curation');
  const next = (await cells.nth(3).getAttribute('data-item-id'))!;
  await cells.nth(3).click();
  await page.keyboard.press('Enter');
  await page.locator(`[data-testid="stage"][data-item-id="${next}"] [data-testid="frame-canvas"]`).waitFor();

  await openScreen(page, 'curation', 'Curation');
  const other = (await cells.nth(0).getAttribute('data-item-id'))!;
  await cells.nth(0).dblclick();
  await page.locator(`[data-testid="stage"][data-item-id="${other}"] [data-testid="frame-canvas"]`).waitFor();
  // Oracle: the catalog's own row for that item is a library PNG patch.
  assert.equal(query('SELECT kind FROM dataset_items WHERE id = ?', Number(other))[0]!.kind, 'png');
});

test('fields stop at the contract limits; refused input is a sentence; banners replace each other and go with the screen', { timeout: 120_000 }, async () => {
  await page.keyboard.press('Alt+1');
  const field = page.locator('[data-field="import-folder"]');
  await field.fill(`/${'x'.repeat(5000)}`);
  assert.equal((await field.inputValue()).length, 4096, 'the folder field holds at most the 4096 characters main accepts');
  await field.fill('');
  // What main answers to a path over the limit that does not come from the field (a script, an old client).
  const long = `/${'a'.repeat(5000)}`;
  await assert.rejects(contractInvoke(page)('ingest.importFolder', { root: long }), (error: Error) => {
    assert.ok(error.message.includes(`Error: The folder path is too long (${long.length} characters; at most 4096 are allowed): shorten it.`), error.message);
    return true;
  });

  await openScreen(page, 'splits', 'Splits');
  const name = page.locator('.splits label', { hasText: 'Name' }).locator('input');
  await name.fill('');
  await page.locator('[data-action="build-split"]').click();
  const error = page.getByTestId('notice-error');
  await error.waitFor();
  // The sentence, then the typed code the app keeps for support.
  assert.equal((await error.locator('span').textContent())!.trim(), 'The name is empty: fill it in. (invalid-input)');
  await keepScreenshot(page, 'first-hour-plain-error');
  await name.fill('main');
  await page.locator('[data-action="build-split"]').click();
  await page.getByTestId('notice-ok').or(page.getByTestId('notice-info')).first().waitFor();
  const banners = await page.locator('main [data-testid^="notice-"]').count();
  assert.equal(banners, 1, 'the success replaced the error: one banner');
  await openScreen(page, 'library', 'Library');
  await openScreen(page, 'splits', 'Splits');
  await page.locator('[data-action="build-split"]').waitFor();
  assert.equal(await page.locator('main [data-testid^="notice-"]').count(), 0, 'nothing stale waits on the way back');
});

test('the Viewer says which model it proposes or has loaded (file, run, date) and lets the person choose', { timeout: 180_000 }, async () => {
  const invoke = contractInvoke(page);
  const run = (await invoke('training.listRuns', {})).runs.find((r) => r.id === runId)!;
  const runModel = run.files?.inferenceModel;
  assert.ok(runModel, `the run wrote model.angio: ${JSON.stringify(run.files)}`);
  await invoke('inference.models.remember', { modelPath: fixturePath });
  await invoke('inference.models.remember', { modelPath: runModel });
  await page.reload();
  await page.locator('h1#screen-title', { hasText: 'Library' }).waitFor();
  const instanceId = query('SELECT id FROM instances LIMIT 1')[0]!.id as number;
  await page.getByTestId('library-tree').locator('button.toggle[aria-expanded="false"]').first().waitFor();
  for (let round = 0; round < 4; round++) {
    const closed = page.getByTestId('library-tree').locator('button.toggle[aria-expanded="false"]');
    for (let i = (await closed.count()) - 1; i >= 0; i--) await closed.nth(i).click();
  }
  await page.locator(`li.instance[data-instance-id="${instanceId}"] [data-action="open-instance"]`).click();
  await page.locator('h1#screen-title', { hasText: 'Viewer' }).waitFor();
  await page.locator('[data-tab="predict"]').click();

  const proposed = page.locator('[data-testid="predict-panel"] [data-testid="model-proposed"]');
  await proposed.waitFor();
  assert.equal(await proposed.getAttribute('data-path'), runModel, 'the newest recent model is proposed, and said to be');
  assert.match((await proposed.textContent())!.replace(/\s+/g, ' '), new RegExp(`model\\.angio · run ${runId.slice(0, 8)} \\(supervised · simple_cnn · seed 0\\), the most recent model, is used when you predict`));
  const picker = page.locator('#predict-model-recent-select');
  const options = await picker.locator('option').allTextContents();
  assert.equal(options.at(-1), 'Open model file…');
  assert.ok(options.some((o) => o.startsWith('model.angio · folder fixture')), options.join(' | '));

  await picker.selectOption(fixturePath);
  const loaded = page.locator('[data-testid="predict-panel"] [data-testid="model-loaded"]');
  await loaded.waitFor();
  const summary = await invoke('inference.model', { modelPath: fixturePath });
  const date = summary.createdAt.slice(0, 16).replace('T', ' ');
  assert.equal((await loaded.textContent())!.replace(/\s+/g, ' ').trim(), `Loaded: model.angio · folder fixture · made ${date}`);
  assert.equal(await loaded.getAttribute('data-path'), fixturePath);
  await keepScreenshot(page, 'first-hour-viewer-model-choice');

  await picker.selectOption({ label: 'Open model file…' });
  assert.equal((await focused()).id, 'predict-model-path', '"Open model file…" takes the person to the path field');
  assert.equal(await picker.inputValue(), fixturePath, 'the loaded model stays chosen');
});

test('the Library tree is one tab stop walked with arrows, Home and End; focus lands on opened screens; the Curation grid takes Tab, arrows and Home/End', { timeout: 120_000 }, async () => {
  await openScreen(page, 'library', 'Library');
  const tree = page.getByTestId('library-tree');
  await tree.locator('[role="treeitem"]').first().waitFor();
  assert.equal(await tree.locator('[role="treeitem"][tabindex="0"]').count(), 1, 'one tab stop');
  assert.equal(await tree.locator('button:not([tabindex="-1"])').count(), 0, 'no button inside the tree is a tab stop of its own');
  const stop = tree.locator('[role="treeitem"][tabindex="0"]');
  await stop.focus();
  await page.keyboard.press('Home');
  const order = await tree.locator('[role="treeitem"]').evaluateAll((items) => items.map((i) => i.getAttribute('aria-label')));
  assert.equal((await focused()).label, order[0]);
  await page.keyboard.press('End');
  assert.equal((await focused()).label, order.at(-1));
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  assert.equal((await focused()).label, order[1]);
  await page.keyboard.press('ArrowUp');
  assert.equal((await focused()).label, order[0]);
  // Left closes the open patient, Right opens it again and then enters its first child.
  const patient = tree.locator('li.patient').first();
  assert.equal(await patient.getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('ArrowLeft');
  await waitInPage(page, () => document.querySelector('li.patient')?.getAttribute('aria-expanded') === 'false', null);
  await page.keyboard.press('ArrowRight');
  await waitInPage(page, () => document.querySelector('li.patient')?.getAttribute('aria-expanded') === 'true', null);
  await page.keyboard.press('ArrowRight');
  assert.match((await focused()).label, /^Study /);
  await page.keyboard.press('ArrowLeft');
  await waitInPage(page, () => document.querySelector('li.study')?.getAttribute('aria-expanded') === 'false', null);
  await page.keyboard.press('ArrowLeft');
  assert.match((await focused()).label, /^Patient /, 'Left on a closed node goes to its parent');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  await waitInPage(page, () => document.querySelector('li.study')?.getAttribute('aria-expanded') === 'true', null);
  await page.keyboard.press('End');
  const image = await focused();
  assert.match(image.label, /^Image #\d+/);
  await page.keyboard.press('Enter');
  await page.locator('h1#screen-title', { hasText: 'Viewer' }).waitFor();
  await waitInPage(page, () => document.activeElement?.getAttribute('data-testid') === 'viewport', null);
  await keepScreenshot(page, 'first-hour-keyboard-viewer-focus');

  // Switching screens with the keyboard: focus is on the new screen, never the page body.
  await page.keyboard.press('Alt+1');
  await page.locator('h1#screen-title', { hasText: 'Library' }).waitFor();
  await waitInPage(page, () => document.activeElement !== document.body && document.querySelector('main')!.contains(document.activeElement), null);
  assert.equal((await focused()).role, 'treeitem', 'back in the Library, the tree holds focus');

  await page.keyboard.press('Alt+3');
  await page.locator('h1#screen-title', { hasText: 'Curation' }).waitFor();
  await waitInPage(page, () => document.activeElement !== document.body, null);
  const grid = page.getByTestId('item-grid');
  await grid.locator('.cell').first().waitFor();
  assert.equal(await grid.locator('button.cell[tabindex="0"]').count(), 1, 'the grid is one tab stop: the cursor cell');
  // From the screen's title, Tab reaches the grid's cursor cell.
  await page.locator('h1#screen-title').focus();
  let reached = false;
  for (let i = 0; i < 80 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.closest('[role="grid"]') !== null);
  }
  assert.ok(reached, 'Tab reaches the grid');
  const columns = Number(await grid.getAttribute('data-columns'));
  const ids = await grid.locator('.cell').evaluateAll((cells) => cells.map((c) => (c as HTMLElement).dataset.itemId));
  await page.keyboard.press('Control+Home');
  assert.equal((await focused()).item, ids[0]);
  await page.keyboard.press('ArrowRight');
  assert.equal((await focused()).item, ids[1], 'focus follows the cursor');
  await page.keyboard.press('End');
  assert.equal((await focused()).item, ids[Math.min(ids.length, columns) - 1], 'End: the last cell of the row');
  await page.keyboard.press('Home');
  assert.equal((await focused()).item, ids[0], 'Home: the first cell of the row');
  await page.keyboard.press('Control+End');
  assert.equal((await focused()).item, ids.at(-1), 'Ctrl+End: the last cell');
  await keepScreenshot(page, 'first-hour-keyboard-curation-grid');
  assert.deepEqual(pageErrors, []);
});
