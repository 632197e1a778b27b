// A newcomer's first imports, walked in Debian's Chromium at 1280×800 against the real services: labels and splits
// come from the chosen folder's own name, its subfolders or a manifest, at any level, and the summary says what was
// found; copies inside one folder are called that; a typed path that is relative, garbage or missing is refused in
// plain words, whole, with no restart offered and nothing added to Recent; imported patches show in the Library and
// open in the Viewer; with the default "key frame per run" only XA/RF runs join the dataset (dcmdump says which).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, sep } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { projectRoot, sharedDataDir } from '../src-main/app/paths.ts';
import { writePatchFolder } from '../src-main/dataset/testing/patch-folders.ts';
import { runOracle } from '../src-main/testing/oracle-tool.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { openScreen } from './support/contract.ts';
import { importFolder } from './support/library-ui.ts';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let scratch: string;

const VAL = join(sharedDataDir(), 'p-adsd', 'labeled', 'val');
type Row = Record<string, unknown>;
const query = (sql: string, ...args: (string | number)[]): Row[] => harness.ctx.store.db.prepare(sql).all(...args) as Row[];

/** What an import of `root` should find, worked out here from the files themselves: the first file of each content
 * (in the import's path order) imports, later copies are duplicates inside the folder; labels from parent names. */
function expectedPatches(root: string): { imported: number; copies: number; labels: Record<string, number> } {
  const files = (readdirSync(root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((d) => d.isFile() && /\.png$/i.test(d.name))
    .map((d) => relative(root, join(d.parentPath, d.name)).split(sep).join('/'))
    .sort();
  const seen = new Set<string>();
  const labels: Record<string, number> = {};
  let copies = 0;
  for (const file of files) {
    const sha = createHash('sha256').update(readFileSync(join(root, file))).digest('hex');
    if (seen.has(sha)) {
      copies++;
      continue;
    }
    seen.add(sha);
    const label = basename(join(root, file, '..'));
    labels[label] = (labels[label] ?? 0) + 1;
  }
  return { imported: seen.size, copies, labels };
}

const summary = async (): Promise<string> => ((await page.locator('[data-testid="import-job"] .text').textContent()) ?? '').trim();

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'angio-first-hour-import-'));
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
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test('importing p-adsd/labeled/val itself keeps every label and the val split, and the summary says so', { timeout: 180_000 }, async () => {
  const expected = expectedPatches(VAL);
  assert.equal(await importFolder(page, VAL), 'succeeded');
  const words = await summary();
  assert.match(words, new RegExp(`^${expected.imported} imported`));
  assert.match(words, new RegExp(`${expected.imported} with a label \\(from folder names or the manifest\\); splits found: val\\.`));
  if (expected.copies > 0) assert.match(words, new RegExp(`${expected.copies} duplicates? inside this folder`));
  assert.doesNotMatch(words, /already in the library/, 'nothing was in the library before this import');
  const rows = query("SELECT l.name AS label, d.source_split AS split, count(*) AS n FROM dataset_items d LEFT JOIN labels l ON l.id = d.label_id GROUP BY 1, 2 ORDER BY 1");
  assert.deepEqual(rows.map((r) => ({ ...r })), Object.entries(expected.labels).sort().map(([label, n]) => ({ label, split: 'val', n })));
  await keepScreenshot(page, 'first-hour-import-val-labelled');
});

test('a folder named positive, subfolders positive/negative with a copy inside, and a manifest give labels from any level', { timeout: 180_000 }, async () => {
  const solo = writePatchFolder(join(scratch, 'solo'), ['positive/a.png', 'positive/b.png', 'positive/c.png'].map((path) => ({ path })), 'solo-');
  assert.equal(await importFolder(page, join(solo, 'positive')), 'succeeded');
  assert.match(await summary(), /^3 imported \(of 3 files\)\. 3 with a label \(from folder names or the manifest\); no split found\.$/);

  const pairs = writePatchFolder(join(scratch, 'pairs'), ['positive/p1.png', 'positive/p2.png', 'negative/n1.png', 'negative/n2.png'].map((path) => ({ path })), 'pairs-');
  copyFileSync(join(pairs, 'positive', 'p1.png'), join(pairs, 'positive', 'p1-again.png'));
  const pairsExpected = expectedPatches(pairs);
  assert.equal(await importFolder(page, pairs), 'succeeded');
  assert.match(await summary(), new RegExp(`^${pairsExpected.imported} imported, 1 duplicate inside this folder \\(of 5 files\\)\\. ${pairsExpected.imported} with a label`));

  const listed = writePatchFolder(join(scratch, 'listed'), [
    { path: 'cath/a.png', patientId: 'H-1', label: 'positive', split: 'train' },
    { path: 'cath/b.png', patientId: 'H-2', label: 'negative', split: 'test' },
    { path: 'cath/c.png', patientId: 'H-3', split: 'val' },
  ]);
  assert.equal(await importFolder(page, listed), 'succeeded');
  assert.match(await summary(), /^3 imported \(of 3 files\)\. 2 with a label \(from folder names or the manifest\); splits found: test, train, val\.$/);

  // The same folder again: each file is already in the library, and the copy is still a copy inside this folder.
  assert.equal(await importFolder(page, pairs), 'succeeded');
  assert.match(await summary(), /^0 imported, 1 duplicate inside this folder, 4 already in the library/);
  const byLabel = query("SELECT l.name AS label, count(*) AS n FROM dataset_items d JOIN labels l ON l.id = d.label_id WHERE d.source_split IS NULL GROUP BY 1 ORDER BY 1");
  assert.deepEqual(byLabel.map((r) => ({ ...r })), [{ label: 'negative', n: 2 }, { label: 'positive', n: 5 }]);
  await keepScreenshot(page, 'first-hour-import-duplicates');
});

test('"Import the given split" works after importing a split folder on its own', { timeout: 120_000 }, async () => {
  await openScreen(page, 'splits', 'Splits');
  await page.locator('[data-action="import-split"]').click();
  await page.getByTestId('notice-ok').filter({ hasText: 'Imported the given split as imported v1' }).waitFor();
  const parts = query("SELECT i.part, count(*) AS n FROM dataset_split_items i JOIN dataset_splits s ON s.id = i.split_id WHERE s.name = 'imported' GROUP BY 1 ORDER BY 1");
  const val = expectedPatches(VAL).imported + 1; // the manifest's val patch joins P-ADSD's val folder
  assert.deepEqual(parts.map((r) => ({ ...r })), [{ part: 'test', n: 1 }, { part: 'train', n: 1 + 3 + 4 }, { part: 'val', n: val }]);
  await keepScreenshot(page, 'first-hour-import-given-split');
  await openScreen(page, 'library', 'Library');
});

test('relative, garbage and missing paths are refused in plain words, whole, without restart or a place in Recent', { timeout: 120_000 }, async () => {
  const before = query('SELECT count(*) AS n FROM import_jobs')[0]!.n;
  for (const typed of ['p-adsd/labeled/val', '..', 'not a path at all ☃']) {
    assert.equal(await importFolder(page, typed), 'failed');
    const words = await summary();
    assert.match(words, /is not a full folder path/);
    assert.ok(!words.includes(projectRoot()), `the refusal names no folder inside the installation: ${words}`);
  }
  const missing = join('/no', 'such', 'folder', 'x'.repeat(160), 'angiograms');
  assert.equal(await importFolder(page, missing), 'failed');
  assert.match(await summary(), /does not exist or is not a folder/);
  assert.equal(await page.locator('[data-action="restart-import"]').count(), 0, 'nothing to restart for a folder that is not there');
  // The error line is read whole: no ellipsis, nothing hidden past its box.
  const line = page.locator('[data-testid="import-job"] .text');
  const box = await line.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, wrap: getComputedStyle(el).whiteSpace, overflow: getComputedStyle(el).textOverflow }));
  assert.ok(box.scroll <= box.client + 1 && box.wrap === 'normal' && box.overflow !== 'ellipsis', `the error line wraps: ${JSON.stringify(box)}`);
  assert.ok((await line.textContent())!.includes(missing), 'the whole path is in the sentence');
  assert.equal(query('SELECT count(*) AS n FROM import_jobs')[0]!.n, before, 'no job was started for any of them');
  const recent = await page.locator('#recent-folders option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  assert.ok(recent.includes(VAL), 'a folder that imported is in Recent');
  for (const bad of ['p-adsd/labeled/val', '..', missing]) assert.ok(!recent.includes(bad), `${bad} is not offered again`);
  await keepScreenshot(page, 'first-hour-import-missing-folder');
});

test('imported patches appear in the Library with their counts and open in the Viewer', { timeout: 120_000 }, async () => {
  const counts = query("SELECT count(*) AS total, sum(l.name = 'positive') AS positive, sum(l.name = 'negative') AS negative FROM dataset_items d LEFT JOIN labels l ON l.id = d.label_id WHERE d.instance_id IS NULL")[0]!;
  const shelf = page.getByTestId('patch-shelf');
  await shelf.waitFor();
  assert.equal(Number(await shelf.getAttribute('data-total')), counts.total);
  const unlabelled = Number(counts.total) - Number(counts.positive) - Number(counts.negative);
  assert.match((await page.getByTestId('patch-counts').textContent())!, new RegExp(`${counts.total} patch images: ${counts.positive} positive, ${counts.negative} negative, ${unlabelled} without a label`));
  await keepScreenshot(page, 'first-hour-library-patches');
  const first = shelf.locator('button.patch').first();
  const itemId = await first.getAttribute('data-item-id');
  await first.click();
  await page.locator('h1#screen-title', { hasText: 'Viewer' }).waitFor();
  await page.locator(`[data-testid="stage"][data-item-id="${itemId}"] [data-testid="frame-canvas"]`).waitFor();
  await keepScreenshot(page, 'first-hour-patch-in-viewer');
  await openScreen(page, 'library', 'Library');
});

test('the default "key frame per run" puts only XA/RF runs in the stenosis dataset', { timeout: 300_000 }, async () => {
  const mixed = join(scratch, 'mixed');
  mkdirSync(mixed);
  const sources = ['xa/XA1_UNC.dcm', 'misc/MR_small.dcm', 'misc/OT-PAL-8-face.dcm', 'misc/JPEG-lossy.dcm', 'misc/emri_small.dcm', 'misc/RG3_J2KR.dcm'];
  const modality: Record<string, string> = {};
  for (const source of sources) {
    const file = join(mixed, basename(source));
    copyFileSync(join(sharedDataDir(), 'dicom', source), file);
    const dump = runOracle('dcmdump', ['+P', '0008,0060', file], { subject: file, encoding: 'latin1' }).stdout;
    modality[basename(source)] = /\[([^\]]*)\]/.exec(dump)?.[1]?.trim() ?? '';
  }
  const angiography = Object.values(modality).filter((m) => m === 'XA' || m === 'RF').length;
  assert.ok(angiography >= 1 && angiography < sources.length, `a mixed folder: ${JSON.stringify(modality)}`);
  const before = query("SELECT count(*) AS n FROM dataset_items WHERE kind = 'dicom-frame'")[0]!.n as number;
  assert.equal(await page.locator('select[title="Which frames of each run become dataset items"]').inputValue(), 'key');
  assert.equal(await importFolder(page, mixed, 240_000), 'succeeded');
  const items = query("SELECT s.modality AS modality, count(*) AS n FROM dataset_items d JOIN instances i ON i.id = d.instance_id JOIN series s ON s.id = i.series_id GROUP BY 1");
  assert.equal(query("SELECT count(*) AS n FROM dataset_items WHERE kind = 'dicom-frame'")[0]!.n as number, before + angiography);
  assert.ok(items.every((r) => r.modality === 'XA' || r.modality === 'RF'), `only XA/RF runs: ${JSON.stringify(items)}`);
  const browsable = query('SELECT count(*) AS n FROM instances')[0]!.n as number;
  assert.ok(browsable > angiography, 'the other objects are still in the Library to browse');
  await keepScreenshot(page, 'first-hour-import-mixed-modalities');
  assert.deepEqual(pageErrors, []);
});
