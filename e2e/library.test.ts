// The Library in Debian's Chromium against the real services: importing the XA folder fills the tree (patients →
// studies → series → images with counts and thumbnails), broken files land in the error list with their reasons,
// a long import can be cancelled, search and filters narrow the tree, and identities are shown only after the
// audited action, hostile tag values as plain text.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { importWorkerTestHooks } from '../src-main/ingest/import-in-worker.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { withHarnessVault } from './support/harness-vault.ts';
import { expandTree, importFolder } from './support/library-ui.ts';

const DICOM = join(sharedDataDir(), 'dicom');
const HOSTILE_NAME = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_ID = '<script>window.__pwned=2</script>';

let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];

before(async () => {
  harness = await startHarness();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
});

after(async () => {
  await browser?.close();
  await harness?.close();
});

test('an empty library says how to begin; the folder browser walks the disk without a native dialog', async () => {
  await page.getByTestId('library-tree').getByText('The library is empty').waitFor();
  await page.getByRole('button', { name: 'Browse…' }).click();
  const browser = page.getByTestId('folder-browser');
  await browser.getByRole('button', { name: '📁 dicom' }).click();
  await browser.locator('.where', { hasText: join(DICOM) }).waitFor();
  await browser.locator('li', { hasText: '📁 xa' }).getByRole('button', { name: 'Choose' }).click();
  assert.equal(await page.locator('[data-field="import-folder"]').inputValue(), join(DICOM, 'xa'));
  await keepScreenshot(page, 'library-empty-folder-chosen');
});

test('importing the XA folder shows progress, then the tree with counts and thumbnails', async () => {
  await page.locator('[data-action="import"]').click();
  const job = page.getByTestId('import-job');
  await job.locator('xpath=self::*[@data-status="running"]').waitFor();
  await keepScreenshot(page, 'library-import-running');
  await job.locator('xpath=self::*[@data-status="succeeded"]').waitFor({ timeout: 120_000 });
  assert.match((await job.textContent()) ?? '', /9 imported \(of 9 files\)\./);

  const patients = page.getByTestId('library-tree').locator('li.patient');
  await patients.nth(1).waitFor();
  assert.equal(await patients.count(), 2);
  for (const pseudonym of await patients.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pseudonym')))) assert.match(pseudonym ?? '', /^P-[0-9A-F]{12}$/);
  const rowsText = (await patients.allTextContents()).map((t) => t.replace(/\s+/g, ' ')).join('\n');
  assert.match(rowsText, /1 study · 1 series · 1 image/);
  assert.match(rowsText, /2 studies · 2 series · 8 images/);

  await expandTree(page);
  const cine = page.locator('li.series', { hasText: '1 image · 96 frames · cine' });
  await cine.waitFor();
  await page.locator('li.series', { hasText: '7 images · 7 frames' }).waitFor();
  const images = page.locator('li.instance');
  await images.nth(8).waitFor();
  assert.equal(await images.count(), 9);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="thumbnail"][data-loaded="true"]').length === 9, undefined, { timeout: 60_000 });
  assert.match((await page.locator('li.instance[data-frames="96"]').textContent()) ?? '', /512×512 · 96 frames · JPEG Baseline/);
  assert.match((await page.locator('li.instance[data-transfer-syntax="1.2.840.10008.1.2.1"]').textContent()) ?? '', /1024×1024 · 1 frame · Explicit VR Little Endian/);
  await keepScreenshot(page, 'library-xa-imported');
});

test('a damaged file lands in the error list with its reason; the good file beside it imports', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'angio-broken-'));
  copyFileSync(join(DICOM, 'misc', 'MR_truncated.dcm'), join(folder, 'MR_truncated.dcm'));
  copyFileSync(join(DICOM, 'misc', 'JPEG-lossy.dcm'), join(folder, 'JPEG-lossy.dcm'));
  assert.equal(await importFolder(page, folder), 'succeeded');
  const list = page.getByTestId('rejected-files');
  await list.waitFor();
  const row = list.locator('tr[data-path="MR_truncated.dcm"]');
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[0], 'MR_truncated.dcm');
  assert.ok(cells[1]!.length > 0, 'a reason code');
  assert.match(cells[2]!, /MR_truncated\.dcm/, `the message names the file: ${cells[2]}`);
  assert.equal(await list.locator('tbody tr').count(), 1);
  assert.match((await page.getByTestId('import-job').textContent()) ?? '', /1 imported, 1 rejected \(of 2 files\)/);
  // The log names the file by its pseudonymous id; the vault alone knows the name behind it.
  const logged = withHarnessVault(harness.ctx.dataDir, (vault) => {
    const id = vault.fileIdOf(folder, 'MR_truncated.dcm');
    assert.equal(vault.pathOf(id), 'MR_truncated.dcm');
    return harness.ctx.store.db.prepare("SELECT reason FROM import_log WHERE path = ? AND outcome = 'rejected'").get(id) as { reason: string } | undefined;
  });
  assert.equal(cells[1], logged?.reason);
  await keepScreenshot(page, 'library-rejected-file');
});

test('a long import shows progress and can be cancelled; what was imported stays', async () => {
  await page.locator('[data-field="import-folder"]').fill(join(sharedDataDir(), 'p-adsd', 'unlabeled'));
  await page.locator('[data-action="import"]').click();
  await page.waitForFunction(() => Number(document.querySelector('[aria-label="Import progress"]')?.getAttribute('aria-valuenow')) > 0, undefined, { timeout: 60_000 });
  await keepScreenshot(page, 'library-import-progress');
  await page.locator('[data-action="cancel-import"]').click();
  const job = page.getByTestId('import-job');
  await job.locator('xpath=self::*[@data-status="cancelled"]').waitFor({ timeout: 60_000 });
  assert.match((await job.textContent()) ?? '', /Import cancelled after \d+ of 8000 files\. What was imported stays; importing the folder again finishes the rest\./);
  await keepScreenshot(page, 'library-import-cancelled');
});

test('an import whose worker crashes says so; "Restart import" finishes the folder without duplicates', async () => {
  const folder = join(sharedDataDir(), 'p-adsd', 'labeled', 'test');
  const patches = () => harness.ctx.store.db.prepare("SELECT count(*) AS n, count(DISTINCT source_sha256) AS d FROM dataset_items WHERE kind = 'png'").get() as { n: number; d: number };
  const before = patches();
  // What a crash in a codec or the allocator does to the import's worker thread (the harness runs main in-process):
  // it exits as its 290th file begins, after committing a first batch of patches.
  importWorkerTestHooks.exitAtFile = 290;
  await page.locator('[data-field="import-folder"]').fill(folder);
  await page.locator('[data-action="import"]').click();
  const job = page.getByTestId('import-job');
  await job.locator('xpath=self::*[@data-status="failed"]').waitFor({ timeout: 60_000 });
  assert.match((await page.locator('[data-screen="library"]').textContent()) ?? '', /The import's worker exited \(code 70\) before finishing\. What was imported is kept/);
  assert.ok(patches().n - before.n < 300, 'the worker died before the end of the folder');
  await keepScreenshot(page, 'library-import-crashed');
  await page.locator('[data-action="restart-import"]').click();
  await job.locator('xpath=self::*[@data-status="succeeded"]').waitFor({ timeout: 120_000 });
  const after = patches();
  assert.equal(after.n - before.n, 300, 'the 300 test patches are catalogued once each');
  assert.equal(after.d, after.n, 'no patch twice');
  await keepScreenshot(page, 'library-import-restarted');
});

test('search and filters narrow the tree and keep the parents of what matches', async () => {
  // Leave the screen and come back first: the library's state (and its derived filters) outlive the screen.
  await page.keyboard.press('Alt+2');
  await page.keyboard.press('Alt+1');
  const patients = page.getByTestId('library-tree').locator('li.patient');
  const pseudonyms = await patients.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pseudonym') ?? ''));
  await page.locator('[data-field="search"]').fill(pseudonyms[0]!.slice(0, 8).toLowerCase());
  await page.waitForFunction((n) => document.querySelectorAll('li.patient').length < n, pseudonyms.length);
  assert.deepEqual(await patients.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-pseudonym'))), [pseudonyms[0]]);
  await page.locator('[data-field="search"]').fill('');
  await page.locator('[data-field="cine-only"]').check();
  await page.locator('li.series').first().waitFor();
  assert.deepEqual(await page.locator('li.series > .row .counts').allTextContents(), ['1 image · 96 frames · cine']);
  await keepScreenshot(page, 'library-filter-cine');
  await page.locator('[data-field="cine-only"]').uncheck();
  await page.locator('[data-field="search"]').fill('no such patient');
  await page.getByText('Nothing matches the search and filters').waitFor();
  await page.locator('[data-field="search"]').fill('');
});

test('identities stay hidden until an audited reveal with a name; hostile tag values show as text', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'angio-hostile-'));
  const file = join(folder, 'hostile.dcm');
  copyFileSync(join(DICOM, 'misc', 'MR_small.dcm'), file);
  execFileSync('dcmodify', ['-nb', '-m', `(0010,0010)=${HOSTILE_NAME}`, '-m', `(0010,0020)=${HOSTILE_ID}`, file]);
  assert.equal(await importFolder(page, folder), 'succeeded');
  const body = await page.locator('body').textContent();
  assert.ok(!body?.includes('__pwned'), 'no identifying value is on screen before a reveal');

  const pseudonym = harness.ctx.store.db.prepare("SELECT pseudonym FROM patients WHERE id = (SELECT max(id) FROM patients)").get() as { pseudonym: string };
  const row = page.locator(`li.patient[data-pseudonym="${pseudonym.pseudonym}"]`);
  await row.locator('[data-action="reveal"]').click();
  await row.getByRole('alert').filter({ hasText: 'Enter your name first' }).waitFor();
  assert.equal(countAudits(pseudonym.pseudonym), 0);

  await page.locator('[data-field="reader"]').fill('Dr E2E Reader');
  await row.locator('[data-action="reveal"]').click();
  const identity = row.getByTestId('identity');
  await identity.waitFor();
  const shown = await identity.locator('dd').allTextContents();
  assert.ok(shown.includes(HOSTILE_NAME), `name shown as text: ${shown.join(' | ')}`);
  assert.ok(shown.includes(HOSTILE_ID), `id shown as text: ${shown.join(' | ')}`);
  assert.equal(await identity.locator('img, script').count(), 0);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  assert.equal(countAudits(pseudonym.pseudonym), 1);
  const audit = harness.ctx.store.db.prepare("SELECT reader FROM audit_log WHERE action = 'view.identifying' AND object_id = ?").get(pseudonym.pseudonym) as { reader: string };
  assert.equal(audit.reader, 'Dr E2E Reader');
  await keepScreenshot(page, 'library-identity-revealed-hostile');
  await row.getByRole('button', { name: 'Hide identity' }).click();
  assert.equal(await row.getByTestId('identity').count(), 0);
});

function countAudits(pseudonym: string): number {
  return (harness.ctx.store.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'view.identifying' AND object_id = ?").get(pseudonym) as { n: number }).n;
}

test('a folder that does not exist is refused with a sentence and a way on', async () => {
  assert.equal(await importFolder(page, '/no/such/folder'), 'failed');
  const text = (await page.getByTestId('import-panel').textContent()) ?? '';
  assert.match(text, /does not exist or is not a folder/);
  assert.match(text, /Check that the folder exists/);
  await keepScreenshot(page, 'library-missing-folder');
});

test('a .dcm file the system asks the app to open is imported from any screen and shown in the Library', async () => {
  await page.locator('nav [data-route="viewer"]').click();
  const file = join(DICOM, 'misc', 'OT-PAL-8-face.dcm');
  harness.ctx.openRequests.push([file]); // what a double-click in the file manager (open-file / second-instance) does
  await page.locator('h1#screen-title', { hasText: 'Library' }).waitFor();
  const job = page.getByTestId('import-job');
  await job.locator('xpath=self::*[@data-status="succeeded"]').waitFor({ timeout: 60_000 });
  const id = withHarnessVault(harness.ctx.dataDir, (vault) => vault.fileIdOf(dirname(file), basename(file)));
  const logged = harness.ctx.store.db.prepare('SELECT path, outcome FROM import_log WHERE path = ? ORDER BY id DESC LIMIT 1').get(id) as { path: string; outcome: string } | undefined;
  assert.equal(logged?.outcome, 'imported', 'the file went through the import, once');
  await keepScreenshot(page, 'library-opened-file');
});

test('the library page ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
