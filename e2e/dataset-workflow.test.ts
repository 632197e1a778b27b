// The dataset workflow in Debian's Chromium against the real services: P-ADSD (labelled folders and the
// unlabelled pool) imported through ingest.importFolder; two readers label 20 pool items by keyboard (saved at
// once, checked in the catalog), kappa appears, one label is undone and a senior adjudicates; Shift+arrows,
// Shift-click and Ctrl-click gather several items that one key labels as one action, undone and redone; a split is built and
// locked (leakage green), a manifest that puts one patient in two splits turns it red and the fix turns it green;
// a quick training run streams its loss curve and ETA, is cancelled and resumed to the end; the model ranks the pool for
// "label next"; Results shows the comparison, figures and predictions sorted by score and by error, and a row opens
// its patch in the viewer (the canvas holds the patch's own pixels); Results offers the shift-robustness command
// and, once it has run, shows its table and Fig. 8; the grid of
// 10,000 items scrolls end to end with every row rendered. Screenshots of each screen are kept.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { writePatchFolder } from '../src-main/dataset/testing/patch-folders.ts';
import { decodePng, encodePng } from '../src-main/png/png.ts';
import { cohensKappa } from '../src-main/evaluation/index.ts';
import { BlobStore } from '../src-main/store/blobs.ts';
import { jsonOf, runAngio } from '../src-main/cli/testing/run-angio.ts';
import { listRuns } from '../src-main/training/index.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { canvasChannel } from './support/canvas.ts';
import { openScreen as openScreenOf } from './support/contract.ts';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let scratch: string;

const A = ['positive', 'negative', 'negative', 'positive', 'negative', 'unsure', 'negative', 'positive', 'negative', 'negative', 'positive', 'negative', 'exclude', 'negative', 'positive', 'negative', 'negative', 'positive', 'negative', 'unsure'];
const B = A.map((label, i) => (i === 1 ? 'positive' : i === 6 ? 'unsure' : i === 10 ? 'negative' : label));
const KEY: Record<string, string> = { positive: 'p', negative: 'n', unsure: 'u', exclude: 'x' };

type Row = Record<string, unknown>;
type JobEnd = { status: string; error?: unknown };
const query = (sql: string, ...args: (string | number)[]): Row[] => harness.ctx.store.db.prepare(sql).all(...args) as Row[];

/** Starts a job over the page's API and resolves with its job.finished event. */
function runJob(channel: string, input: unknown): Promise<JobEnd> {
  return page.evaluate(
    ({ channel, input }) =>
      new Promise<JobEnd>((resolve) => {
        const angio = (window as unknown as { angio: import('../src-preload/api.ts').AngioApi }).angio;
        let jobId: string | null = null;
        const early: { jobId: string; status: string }[] = [];
        const settle = (event: { jobId: string; status: string; error?: unknown }) => {
          if (event.jobId !== jobId) return;
          off();
          resolve(event);
        };
        const off = angio.on('job.finished', (event) => (jobId === null ? early.push(event) : settle(event)));
        void (angio.invoke as unknown as Record<string, (i: unknown) => Promise<{ ok: boolean; value?: { jobId: string }; error?: unknown }>>)[channel]!(input).then((answer) => {
          if (!answer.ok) return resolve({ status: 'refused', error: answer.error });
          jobId = answer.value!.jobId;
          early.forEach(settle);
        });
      }),
    { channel, input },
  );
}

const openScreen = (route: string, title: string): Promise<void> => openScreenOf(page, route, title);

/** 400 more patches: P-ADSD pool images with one pixel changed, so the catalog holds 10,000+ distinct items. */
function writeRepeats(dir: string, count: number): string {
  const pool = join(sharedDataDir(), 'p-adsd', 'unlabeled');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(pool).sort().slice(0, count)) {
    const png = decodePng(readFileSync(join(pool, name)));
    const grey = png.channels === 1 && png.bitDepth === 8 ? Uint8Array.from(png.pixels as Uint8Array) : null;
    assert.ok(grey, `${name} is 8-bit grey`);
    grey[0] = grey[0]! ^ 0x01;
    writeFileSync(join(dir, `r-${name}`), encodePng(png.width, png.height, 1, grey));
  }
  return dir;
}

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'angio-dataset-e2e-'));
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
});

after(async () => {
  await browser?.close();
  await harness?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('P-ADSD (labelled folders and unlabelled pool) and 400 repeats import: 10,000+ items', { timeout: 600_000 }, async () => {
  const started = performance.now();
  const padsd = await runJob('ingest.importFolder', { root: join(sharedDataDir(), 'p-adsd') });
  assert.equal(padsd.status, 'succeeded', JSON.stringify(padsd));
  const repeats = await runJob('ingest.importFolder', { root: writeRepeats(join(scratch, 'repeats'), 400) });
  assert.equal(repeats.status, 'succeeded', JSON.stringify(repeats));
  const counts = query("SELECT count(*) AS n, sum(flags = 'no patient id') AS flagged, sum(label_id IS NULL) AS unlabelled FROM dataset_items")[0]!;
  console.log(`imported ${counts.n} items in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  assert.equal(counts.n, 10_000);
  assert.equal(counts.flagged, 10_000);
  assert.equal(counts.unlabelled, 8_400);
});

async function labelByKeyboard(labels: readonly string[], readerName: string): Promise<void> {
  await page.locator('[data-testid="item-grid"] [data-item-id]').first().click();
  for (const label of labels) await page.keyboard.press(KEY[label]!);
  // Each key press is its own saved action: wait until the catalog holds all of them.
  const readerId = query('SELECT id FROM readers WHERE name = ?', readerName)[0]!.id as number;
  for (let i = 0; i < 100; i++) {
    if ((query('SELECT count(*) AS n FROM item_labels WHERE reader_id = ?', readerId)[0]!.n as number) >= labels.length) break;
    await page.waitForTimeout(100);
  }
}

const readerLabels = (name: string) =>
  query('SELECT l.item_id AS itemId, l.label, l.labelled_at AS at FROM item_labels l JOIN readers r ON r.id = l.reader_id WHERE r.name = ? ORDER BY l.item_id', name);

test('two readers label 20 pool items by keyboard; kappa shows; undo one; a senior adjudicates', { timeout: 180_000 }, async () => {
  await openScreen('curation', 'Curation');
  await page.getByTestId('reader-name').fill('Dr Ana Reyes');
  await page.locator('[data-action="add-reader"]').click();
  await page.locator('[data-testid="reader-select"] option', { hasText: 'Dr Ana Reyes' }).waitFor({ state: 'attached' });
  await page.locator('[data-filter="label"]').selectOption('unlabelled');
  await page.locator('[data-count="shown"] dd', { hasText: '8,400' }).waitFor();
  await labelByKeyboard(A, 'Dr Ana Reyes');
  const ana = readerLabels('Dr Ana Reyes');
  assert.deepEqual(ana.map((r) => r.label), A, 'the catalog holds every key press of reader A, in grid order');
  assert.ok(ana.every((r) => typeof r.at === 'string' && !Number.isNaN(Date.parse(r.at as string))), 'each label records its time');
  await page.locator('[data-count="mine"] dd', { hasText: /^20$/ }).waitFor();
  const positives = 800 + A.filter((l) => l === 'positive').length;
  assert.equal(await page.locator('[data-count="positive"] dd').textContent(), String(positives), '800 P-ADSD positives and reader A\'s');
  await keepScreenshot(page, 'curation-reader-a');

  await page.getByTestId('reader-name').fill('Dr Ben Okafor');
  await page.getByTestId('reader-senior').check();
  await page.locator('[data-action="add-reader"]').click();
  await page.locator('[data-testid="reader-select"] option', { hasText: 'Dr Ben Okafor (senior)' }).waitFor({ state: 'attached' });
  const anaId = query("SELECT id FROM readers WHERE name = 'Dr Ana Reyes'")[0]!.id;
  await page.locator('[data-filter="label"]').selectOption('');
  await page.locator('[data-filter="reader"]').selectOption(`labelled:${anaId}`);
  await page.locator('[data-count="shown"] dd', { hasText: /^20$/ }).waitFor();
  await labelByKeyboard(B, 'Dr Ben Okafor');
  const ben = readerLabels('Dr Ben Okafor');
  assert.deepEqual(ben.map((r) => r.itemId), ana.map((r) => r.itemId), 'reader B read the same 20 items');
  const pair = page.getByTestId('kappa-pair');
  await pair.locator('td', { hasText: /^20$/ }).waitFor();
  const expected = cohensKappa(A, B);
  assert.equal(await pair.locator('.kappa').textContent(), expected.toFixed(3));
  assert.equal(await page.getByTestId('disagreement').count(), 3);
  await keepScreenshot(page, 'curation-kappa');

  await page.keyboard.press('Control+z');
  await pair.locator('td', { hasText: /^19$/ }).waitFor();
  assert.equal(readerLabels('Dr Ben Okafor').length, 19, 'the undo removed reader B\'s last label from the catalog');
  assert.equal(await pair.locator('.kappa').textContent(), cohensKappa(A.slice(0, 19), B.slice(0, 19)).toFixed(3));
  assert.equal(query("SELECT count(*) AS n FROM audit_log WHERE action = 'label.undo' AND reader = 'Dr Ben Okafor'")[0]!.n, 1);

  await page.getByTestId('disagreement').first().locator('[data-adjudicate="positive"]').click();
  await page.getByTestId('disagreement').first().locator('.settled').waitFor();
  assert.deepEqual(query('SELECT a.label, r.name FROM adjudications a JOIN readers r ON r.id = a.reader_id').map((r) => ({ ...r })), [{ label: 'positive', name: 'Dr Ben Okafor' }]);
  await keepScreenshot(page, 'curation-adjudicated');
});

/** Polls the catalog until `check` holds (a label action is saved by an IPC call after the key press). */
async function catalogShows(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await page.waitForTimeout(100);
  assert.ok(check(), `the catalog never showed ${what}`);
}

test('multi-select: Shift+arrows, Shift-click and Ctrl-click gather items, one key labels them all as one action; undo and redo', { timeout: 120_000 }, async () => {
  // Still on Curation as Dr Ben Okafor. Fresh pool items, and every action is undone at the end, so the readers'
  // labels, kappa and the split built next are as the two-reader flow left them.
  const ben = query("SELECT id FROM readers WHERE name = 'Dr Ben Okafor'")[0]!.id as number;
  const anaId = query("SELECT id FROM readers WHERE name = 'Dr Ana Reyes'")[0]!.id as number;
  const unread = Number(query('SELECT count(*) AS n FROM dataset_items WHERE label_id IS NULL AND id NOT IN (SELECT item_id FROM item_labels) AND id NOT IN (SELECT item_id FROM adjudications)')[0]!.n);
  await page.locator('[data-filter="reader"]').selectOption('');
  await page.locator('[data-filter="label"]').selectOption('unlabelled');
  await page.locator('[data-count="shown"] dd', { hasText: new RegExp(`^${unread.toLocaleString('en')}$`) }).waitFor();
  const cells = page.locator('[data-testid="item-grid"] .cell[data-item-id]');
  const ids = await cells.evaluateAll((cs) => cs.slice(0, 5).map((c) => Number(c.getAttribute('data-item-id'))));
  assert.equal(ids.length, 5);
  const selected = async () => (await page.locator('[data-testid="item-grid"] .cell[aria-pressed="true"]').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-item-id'))))).sort((a, b) => a - b);
  const benLabels = () => query(`SELECT item_id AS itemId, label FROM item_labels WHERE reader_id = ? AND item_id IN (${ids.join(',')}) ORDER BY item_id`, ben).map((r) => `${r.itemId}:${r.label}`);
  const lastAction = () => ({ ...query('SELECT items, label, state FROM label_actions WHERE reader_id = ? ORDER BY id DESC LIMIT 1', ben)[0] });

  // Shift+arrows from a clicked item: four items, one key, one action.
  await cells.nth(0).click();
  for (let i = 0; i < 3; i++) await page.keyboard.press('Shift+ArrowRight');
  assert.deepEqual(await selected(), ids.slice(0, 4));
  await page.getByTestId('selection-info').filter({ hasText: /^\s*4 selected/ }).waitFor();
  await page.keyboard.press('n');
  await page.locator('[data-testid="item-grid"] .cell[data-mine="negative"]').nth(3).waitFor();
  assert.equal(await page.locator('[data-testid="item-grid"] .cell[data-mine="negative"]').count(), 4);
  await catalogShows('four negatives by reader B', () => benLabels().length === 4);
  assert.deepEqual(benLabels(), ids.slice(0, 4).map((id) => `${id}:negative`));
  assert.deepEqual(lastAction(), { items: 4, label: 'negative', state: 0 }, 'one action for the whole selection');

  await page.keyboard.press('Control+z');
  await page.getByTestId('notice-info').filter({ hasText: 'Undid the label of 4 items.' }).waitFor();
  await catalogShows('the four labels undone together', () => benLabels().length === 0);
  assert.equal(await page.locator('[data-testid="item-grid"] .cell[data-mine="negative"]').count(), 0);
  assert.match((await page.locator('[data-action="redo"]').textContent())!, /Redo \(1\)/);
  await page.locator('[data-action="redo"]').click();
  await page.getByTestId('notice-info').filter({ hasText: 'Redid the label of 4 items.' }).waitFor();
  await catalogShows('the four labels redone', () => benLabels().length === 4);
  assert.deepEqual(benLabels(), ids.slice(0, 4).map((id) => `${id}:negative`));
  assert.equal(await page.locator('[data-testid="item-grid"] .cell[data-mine="negative"]').count(), 4);
  await page.keyboard.press('Control+z');
  await catalogShows('the redone action undone again', () => benLabels().length === 0);

  // Shift-click a range, Ctrl-click to add one and to take one out: items 0, 2 and 4.
  await cells.nth(0).click();
  await cells.nth(2).click({ modifiers: ['Shift'] });
  assert.deepEqual(await selected(), ids.slice(0, 3));
  await cells.nth(4).click({ modifiers: ['Control'] });
  await cells.nth(1).click({ modifiers: ['Control'] });
  assert.deepEqual(await selected(), [ids[0]!, ids[2]!, ids[4]!]);
  await page.getByTestId('selection-info').filter({ hasText: /^\s*3 selected/ }).waitFor();
  await page.keyboard.press('u');
  await catalogShows('three unsure labels', () => benLabels().length === 3);
  assert.deepEqual(benLabels(), [ids[0]!, ids[2]!, ids[4]!].map((id) => `${id}:unsure`));
  await page.locator('[data-testid="item-grid"] .cell[data-mine="unsure"]').nth(2).waitFor();
  await keepScreenshot(page, 'curation-multi-select');
  await page.keyboard.press('Control+z');
  await catalogShows('the three labels undone', () => benLabels().length === 0);
  await page.keyboard.press('Control+Shift+z');
  await page.getByTestId('notice-info').filter({ hasText: 'Redid the label of 3 items.' }).waitFor();
  await catalogShows('the three labels redone by Ctrl+Shift+Z', () => benLabels().length === 3);
  await page.keyboard.press('Control+z');
  await catalogShows('nothing left of the multi-select labels', () => benLabels().length === 0);

  await page.locator('[data-filter="label"]').selectOption('');
  await page.locator('[data-filter="reader"]').selectOption(`labelled:${anaId}`);
  await page.locator('[data-count="shown"] dd', { hasText: /^20$/ }).waitFor();
});

test('a split is built and locked (green); a manifest puts one patient in two splits (red); the fix makes it green', { timeout: 180_000 }, async () => {
  await openScreen('splits', 'Splits');
  await page.locator('[data-field="seed"]').fill('42');
  await page.locator('[data-action="build-split"]').click();
  const detail = page.getByTestId('split-detail');
  await detail.waitFor();
  await page.getByTestId('no-patient-warning').waitFor();
  assert.match((await page.getByTestId('no-patient-warning').textContent())!, /have no patient id/);
  assert.equal(await page.getByTestId('leakage').getAttribute('data-status'), 'green');
  await page.locator('[data-action="lock-split"]').click();
  await page.getByTestId('locked-badge').waitFor();
  const first = query('SELECT id, version, locked_at FROM dataset_splits ORDER BY id')[0]!;
  assert.ok(first.locked_at);
  await keepScreenshot(page, 'splits-locked-green');

  const later = writePatchFolder(join(scratch, 'manifest-import'), [
    { path: 'cath/p1-a.png', patientId: 'HOSP-001', label: 'positive', split: 'train' },
    { path: 'cath/p1-b.png', patientId: 'HOSP-001', label: 'positive', split: 'test' },
    { path: 'cath/p2-a.png', patientId: 'HOSP-002', label: 'negative', split: 'val' },
  ]);
  const imported = await runJob('ingest.importFolder', { root: later });
  assert.equal(imported.status, 'succeeded');
  await openScreen('training', 'Training');
  await openScreen('splits', 'Splits');
  await page.locator('[data-testid="leakage"][data-status="red"]').waitFor();
  assert.equal(await page.getByTestId('leak').count(), 1);
  assert.match((await page.getByTestId('leak').textContent())!, /1 in train, 1 in test/);
  await keepScreenshot(page, 'splits-leak-red');

  await page.locator('[data-action="fix-leaks"]').click();
  await page.locator('[data-testid="leakage"][data-status="green"]').waitFor();
  const versions = query('SELECT id, version, parent_id AS parent, locked_at AS locked FROM dataset_splits ORDER BY id');
  assert.equal(versions.length, 2);
  assert.equal(versions[1]!.parent, first.id);
  assert.equal(versions[1]!.locked, null, 'the fix is a new draft; the locked version is untouched');
  await page.locator('[data-action="lock-split"]').click();
  await page.getByTestId('locked-badge').waitFor();
  await keepScreenshot(page, 'splits-fixed-green');
});

test('a quick training on the locked split streams its loss curve, is cancelled, resumes and finishes', { timeout: 900_000 }, async () => {
  await openScreen('training', 'Training');
  await page.locator('[data-preset="quick"]').click();
  await page.getByTestId('config-valid').waitFor();
  const config = page.getByTestId('training-config');
  await config.fill('{ "method": "supervised", "encoder": "vgg" }');
  await keepScreenshot(page, 'training-invalid-config');
  await page.getByTestId('config-problems').waitFor();
  assert.match((await page.getByTestId('config-problems').textContent())!, /encoder/);
  await page.locator('[data-preset="quick"]').click();
  const lockedId = query('SELECT id FROM dataset_splits WHERE locked_at IS NOT NULL ORDER BY id DESC LIMIT 1')[0]!.id;
  assert.equal(await page.getByTestId('training-split').inputValue(), String(lockedId));

  await page.locator('[data-action="start-training"]').click();
  const loss = page.getByTestId('loss-curve');
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="loss-curve"]')?.getAttribute('data-points')) >= 3, null, { timeout: 300_000 });
  assert.match((await page.getByTestId('images-per-second').textContent())!, /^\d+(\.\d)?$/);
  // The ETA comes with the same engine events as images/s: seconds, or minutes past 90 s.
  assert.match((await page.getByTestId('eta').textContent())!, /^\d+ (s|min)$/);
  await keepScreenshot(page, 'training-live');
  await page.locator('[data-action="cancel-training"]').click();
  await page.locator('[data-testid="training-status"]', { hasText: 'cancelled' }).waitFor({ timeout: 120_000 });
  const atCancel = Number(await loss.getAttribute('data-points'));
  const runId = (await page.getByTestId('training-live').getAttribute('data-run-id'))!;
  assert.equal(query('SELECT status FROM training_runs WHERE id = ?', runId)[0]!.status, 'cancelled');
  assert.deepEqual(query('SELECT split_id AS splitId FROM run_splits WHERE run_id = ?', runId).map((r) => ({ ...r })), [{ splitId: lockedId }]);

  await page.locator('[data-action="resume-training"]').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid="loss-curve"]')?.getAttribute('data-points')) > n, atCancel, { timeout: 300_000 });
  await page.locator('[data-testid="training-status"]', { hasText: 'succeeded' }).waitFor({ timeout: 600_000 });
  assert.ok(Number(await page.getByTestId('auc-curve').getAttribute('data-points')) >= 1, 'validation AUC arrived with epoch events');
  await page.locator(`[data-testid="run-history"] tr[data-run-id="${runId}"][data-status="succeeded"]`).waitFor();
  await keepScreenshot(page, 'training-finished');
});

test('the finished model ranks the pool: "label next" walks its uncertain and diverse list', { timeout: 300_000 }, async () => {
  await openScreen('curation', 'Curation');
  await page.locator('[data-testid="model-ranking"] select option').nth(1).waitFor({ state: 'attached' });
  await page.locator('[data-testid="model-ranking"] select').selectOption({ index: 1 });
  await page.locator('[data-action="rank-pool"]').click();
  // The scoring job's end, not just a "Ranked by run" line (an earlier run's scores can show one already).
  await page.getByTestId('notice-info').filter({ hasText: 'The pool is ranked by the model' }).waitFor({ timeout: 240_000 });
  await page.locator('[data-testid="model-ranking"]', { hasText: 'Ranked by run' }).waitFor();
  await page.locator('[data-action="label-next"]').click();
  // A regular expression: a string would match case-insensitively, and the ranking notice before the click
  // ("…walks uncertain items first") would pass for this one.
  await page.getByTestId('notice-info').filter({ hasText: /Next in the model's label-next list/ }).waitFor();
  const shown = Number(/Item #(\d+)/.exec((await page.getByTestId('selection-info').textContent())!)![1]);
  await page.locator(`[data-testid="item-grid"] .cell.cursor[data-item-id="${shown}"]`).waitFor();
  // Oracle: the pool item reader B has not read whose score sits closest to the run's threshold.
  // The run the pool was just ranked with: the one whose scores were written last (the screen's run picker decides
  // which, so the newest run by creation time need not be it).
  const run = query("SELECT id, metrics_json FROM training_runs WHERE id = (SELECT run_id FROM item_scores ORDER BY scored_at DESC LIMIT 1)")[0]!;
  const threshold = (JSON.parse(run.metrics_json as string) as { threshold: { threshold: number } }).threshold.threshold;
  const pool = query(
    `SELECT s.item_id AS itemId, s.score, s.label_rank AS rank FROM item_scores s JOIN dataset_items d ON d.id = s.item_id WHERE s.run_id = ? AND d.label_id IS NULL
       AND s.item_id NOT IN (SELECT item_id FROM adjudications)
       AND s.item_id NOT IN (SELECT l.item_id FROM item_labels l JOIN readers r ON r.id = l.reader_id WHERE r.name = 'Dr Ben Okafor')`,
    run.id as string,
  ) as { itemId: number; score: number; rank: number | null }[];
  assert.ok(pool.length >= 8_000, `${pool.length} pool items scored`);
  const uncertainty = (p: number) => 1 - Math.abs(p - threshold) / (p >= threshold ? 1 - threshold : threshold);
  // Oracle: the unread pool item at the head of the run's stored list, and that item is among the pool's most
  // uncertain (the list draws from the 600 most uncertain: label-ranking.ts).
  const head = pool.filter((row) => row.rank !== null).reduce((a, b) => (b.rank! < a.rank! ? b : a));
  assert.equal(shown, head.itemId, `label next opens the head of the list: shown #${shown}, head #${head.itemId} (rank ${head.rank})`);
  const moreUncertain = pool.filter((row) => uncertainty(row.score) > uncertainty(head.score)).length;
  assert.ok(moreUncertain < 600 + 200, `the head is among the most uncertain items: ${moreUncertain} of ${pool.length} are more uncertain`);
  await page.locator('[data-filter="uncertainty"]').selectOption('high');
  await page.waitForFunction(() => Number(document.querySelector('[data-count="shown"] dd')?.textContent?.replace(/,/g, '')) > 0);
  await keepScreenshot(page, 'curation-ranked');
  await page.locator('[data-filter="uncertainty"]').selectOption('');
  await page.locator('[data-filter="reader"]').selectOption('');
});

test('results: comparison table with intervals, five figures (with the reliability diagram), predictions sortable by score and error, click-through to the viewer', { timeout: 300_000 }, async () => {
  await openScreen('results', 'Results');
  const table = page.getByTestId('comparison-table');
  await table.locator('tbody tr').first().waitFor({ timeout: 240_000 });
  assert.match((await table.locator('tbody tr').first().textContent())!, /supervised · simple_cnn/);
  assert.match((await table.locator('tbody tr').first().textContent())!, /\[\d\.\d{3}, \d\.\d{3}\]/);
  assert.equal(await page.locator('[data-testid="figures"] figure img').count(), 5);
  assert.equal(await page.locator('[data-testid="figures"] figure img[alt*="eliability" i]').count(), 1, 'the reliability diagram is among the figures');
  const rows = page.locator('[data-testid="predictions"] tbody tr');
  const testCount = Number(query("SELECT count(*) AS n FROM dataset_split_items i JOIN dataset_splits s ON s.id = i.split_id WHERE s.locked_at IS NOT NULL AND i.part = 'test' AND i.label IS NOT NULL AND s.id = (SELECT max(id) FROM dataset_splits)")[0]!.n);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="predictions"] tbody tr').length === n, testCount);
  await page.locator('[data-sort="score"]').click();
  const shownRows = () =>
    rows.evaluateAll((trs) => {
      const labelColumn = [...document.querySelectorAll('[data-testid="predictions"] thead th')].findIndex((th) => th.textContent?.trim() === 'Label');
      return trs.map((tr) => ({ itemId: Number(tr.getAttribute('data-item-id')), score: Number(tr.getAttribute('data-score')), label: tr.children[labelColumn]!.textContent === 'positive' ? 1 : 0 }));
    });
  const byScore = await shownRows();
  const scores = byScore.map((r) => r.score);
  assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'sorted by score, highest first');
  await keepScreenshot(page, 'results');

  // By error: how far each score sits from its label, the most confident mistakes first; a second click reverses.
  await page.locator('[data-sort="error"]').click();
  await page.locator('[data-sort="error"]', { hasText: '▼' }).waitFor();
  const byError = await shownRows();
  const errors = byError.map((r) => Math.abs(r.label - r.score));
  assert.deepEqual(errors, [...errors].sort((a, b) => b - a), 'sorted by error, largest first');
  assert.notDeepEqual(byError.map((r) => r.itemId), byScore.map((r) => r.itemId), 'the error order is not the score order');
  await page.locator('[data-sort="error"]').click();
  await page.locator('[data-sort="error"]', { hasText: '▲' }).waitFor();
  const ascending = (await shownRows()).map((r) => Math.abs(r.label - r.score));
  assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b), 'a second click puts the smallest errors first');
  await page.locator('[data-sort="error"]').click();
  await page.locator('[data-sort="error"]', { hasText: '▼' }).waitFor();

  // The worst mistake opens in the viewer: its patch, not an empty viewer.
  const worst = byError[0]!;
  assert.ok(worst.itemId > 0);
  assert.equal(Number(await rows.first().getAttribute('data-item-id')), worst.itemId);
  await rows.first().click();
  await page.locator('h1#screen-title', { hasText: 'Viewer' }).waitFor();
  assert.equal(await page.locator('nav [data-route="viewer"]').getAttribute('aria-current'), 'page');
  await page.locator(`[data-testid="stage"][data-item-id="${worst.itemId}"] [data-testid="frame-canvas"]`).waitFor();
  const item = query('SELECT d.kind, d.width, d.height, d.source_name AS name, d.blob_sha256 AS sha FROM dataset_items d WHERE d.id = ?', worst.itemId)[0]!;
  assert.equal(item.kind, 'png');
  const header = (await page.getByTestId('viewer-item').textContent())!.replace(/\s+/g, ' ');
  assert.match(header, new RegExp(`Dataset item #${worst.itemId} · PNG patch ${item.width}×${item.height} · ${item.name as string} · `), header);
  assert.match(header, /· test of /, 'the header names the item\'s part of the active split');
  assert.equal(await page.getByTestId('viewer-context').count(), 0, 'a patch has no DICOM context');
  assert.equal(await page.locator('[data-action="use-frame"]').count(), 0, 'a patch is a dataset item already');
  assert.equal(await page.getByTestId('notice-error').count(), 0);
  // The canvas holds the patch itself: its size, and its grey values under the full-range window.
  const png = decodePng(new BlobStore(join(harness.ctx.dataDir, 'blobs')).read(item.sha as string));
  const canvas = await canvasChannel(page, 'frame-canvas', 0);
  assert.deepEqual({ width: canvas.width, height: canvas.height }, { width: item.width, height: item.height });
  assert.equal(png.channels, 1);
  let worstDifference = 0;
  for (let i = 0; i < canvas.values.length; i++) worstDifference = Math.max(worstDifference, Math.abs((canvas.values[i] as number) - (png.pixels[i] as number)));
  assert.ok(worstDifference <= 1, `the canvas shows the patch's pixels (largest difference ${worstDifference})`);
  await keepScreenshot(page, 'results-to-viewer');
});

test('results: shift robustness is offered as a command until measured, then shown as the table `angio evaluate-shifts --save` wrote, with Fig. 8', { timeout: 300_000 }, async () => {
  await openScreen('results', 'Results');
  await page.getByTestId('comparison-table').locator('tbody tr').first().waitFor({ timeout: 240_000 });
  // The run the overview measures first: the newest finished run (its model file and its test set).
  const run = listRuns(harness.ctx.store).find((r) => r.status === 'succeeded' && r.files?.model)!;
  const modelPath = run.files!.inferenceModel!;
  const hint = (await page.getByTestId('shift-hint').textContent())!.replace(/\s+/g, ' ');
  assert.ok(hint.includes(`npx angio evaluate-shifts --model ${modelPath} --data ${run.dataset.labeledRoot} --save`), hint);
  assert.equal(await page.getByTestId('shift-robustness').count(), 0, 'nothing measured, no table');
  assert.equal(await page.locator('[data-figure="fig8-shift-robustness"]').count(), 0, 'nothing measured, no Fig. 8');

  // The user runs the command the screen gives (with fewer resamples), then comes back to Results.
  const printed = jsonOf<{ unshifted: { auc: number; low: number; high: number }; shifts: { label: string; auc: number; low: number; high: number; difference: number; differenceLow: number; differenceHigh: number }[] }>(
    runAngio(['evaluate-shifts', '--model', modelPath, '--data', run.dataset.labeledRoot, '--replicates', '100', '--save', '--json']),
  );
  await openScreen('curation', 'Curation');
  await openScreen('results', 'Results');
  const panel = page.getByTestId('shift-robustness');
  await panel.waitFor({ timeout: 240_000 });
  assert.equal(await panel.getAttribute('data-run-id'), run.id);
  const rows = await panel.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => ({ shift: tr.getAttribute('data-shift'), auc: Number(tr.getAttribute('data-auc')), difference: tr.getAttribute('data-difference'), cells: [...tr.children].map((td) => td.textContent!.replace(/\s+/g, ' ').trim()) })));
  assert.deepEqual(rows.map((r) => [r.shift, r.auc, r.difference === '' ? null : Number(r.difference)]), [['none', printed.unshifted.auc, null], ...printed.shifts.map((s) => [s.label, s.auc, s.difference])]);
  const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(3)}`;
  printed.shifts.forEach((s, i) => assert.deepEqual(rows[i + 1]!.cells, [s.label, `${s.auc.toFixed(3)} [${s.low.toFixed(3)}, ${s.high.toFixed(3)}]`, `${signed(s.difference)} [${signed(s.differenceLow)}, ${signed(s.differenceHigh)}]`]));
  await page.locator('[data-figure="fig8-shift-robustness"] img').waitFor();
  assert.equal(await page.locator('[data-testid="figures"] figure img').count(), 6, 'Figures 1-4, Fig. 7 and Fig. 8');
  assert.equal(await page.getByTestId('shift-hint').count(), 0);
  await panel.scrollIntoViewIfNeeded();
  await keepScreenshot(page, 'results-shift-robustness');
});

test('the grid of 10,000 items scrolls end to end with every row rendered, keeping the DOM small', { timeout: 300_000 }, async () => {
  await openScreen('curation', 'Curation');
  await page.locator('[data-filter="label"]').selectOption('');
  await page.locator('[data-filter="reader"]').selectOption('');
  await page.locator('[data-filter="uncertainty"]').selectOption('');
  await page.locator('[data-count="shown"] dd', { hasText: '10,003' }).waitFor();
  const grid = page.getByTestId('item-grid');
  const rowCount = Number(await grid.getAttribute('data-rows'));
  const columns = Number(await grid.getAttribute('data-columns'));
  assert.equal(rowCount, Math.ceil(10_003 / columns));
  const walk = await grid.evaluate(async (viewport, expectedRows) => {
    const seen = new Set<number>();
    const renderMs: number[] = [];
    const frameMs: number[] = [];
    let longTasks = 0;
    const observer = new PerformanceObserver((list) => (longTasks += list.getEntries().length));
    observer.observe({ entryTypes: ['longtask'] });
    let maxDomRows = 0;
    let incomplete = 0;
    const step = viewport.clientHeight / 2;
    const rowHeight = viewport.scrollHeight / expectedRows;
    for (let top = 0; ; top += step) {
      // The work one scroll step costs: the grid's scroll handler, Svelte's update and layout, timed synchronously.
      const started = performance.now();
      viewport.scrollTop = top;
      viewport.dispatchEvent(new Event('scroll'));
      for (let i = 0; i < 4; i++) await Promise.resolve();
      const wanted = Math.min(expectedRows - 1, Math.floor((viewport.scrollTop + viewport.clientHeight - 1) / rowHeight));
      void viewport.getBoundingClientRect().height;
      renderMs.push(performance.now() - started);
      const rendered = viewport.querySelector(`[data-row="${wanted}"]`) !== null;
      const frameStart = performance.now();
      await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
      frameMs.push(performance.now() - frameStart);
      const rows = [...viewport.querySelectorAll<HTMLElement>('[data-row]')];
      maxDomRows = Math.max(maxDomRows, rows.length);
      for (const row of rows) {
        seen.add(Number(row.dataset.row));
        if (row.querySelectorAll('[data-item-id]').length === 0) incomplete++;
      }
      if (!rendered) incomplete++;
      if (viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - 1) break;
    }
    observer.disconnect();
    const missing = [];
    for (let r = 0; r < expectedRows; r++) if (!seen.has(r)) missing.push(r);
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)]!;
    const lastRow = viewport.querySelector<HTMLElement>(`[data-row="${expectedRows - 1}"]`);
    return {
      missing, maxDomRows, incomplete, steps: renderMs.length, longTasks,
      renderMedian: median(renderMs), renderP95: p95(renderMs), frameMedian: median(frameMs), frameP95: p95(frameMs),
      lastIds: [...(lastRow?.querySelectorAll('[data-item-id]') ?? [])].map((c) => Number(c.getAttribute('data-item-id'))),
    };
  }, rowCount);
  console.log(
    `grid walk: ${walk.steps} steps over ${rowCount} rows × ${columns}; DOM rows ≤ ${walk.maxDomRows}; render per step median ${walk.renderMedian.toFixed(1)} ms, p95 ${walk.renderP95.toFixed(1)} ms; ` +
      `next frame median ${walk.frameMedian.toFixed(1)} ms, p95 ${walk.frameP95.toFixed(1)} ms; long tasks ${walk.longTasks}`,
  );
  assert.deepEqual(walk.missing, [], 'every row was rendered at some point of the scroll');
  assert.equal(walk.incomplete, 0, 'every step rendered the row at the bottom of the view, and no rendered row was empty');
  assert.ok(walk.maxDomRows < 40, `virtualised: at most ${walk.maxDomRows} rows in the DOM`);
  const lastItem = query('SELECT max(id) AS id FROM dataset_items')[0]!.id;
  assert.ok(walk.lastIds.includes(lastItem as number), 'the last row holds the last item');
  // One step's own work stays far below a frame budget's worth of jank even on this loaded two-core machine.
  assert.ok(walk.renderMedian < 16, `median render per scroll step ${walk.renderMedian.toFixed(1)} ms`);
  await page.waitForTimeout(500);
  await keepScreenshot(page, 'curation-grid-end');
});

test('the dataset screens ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
