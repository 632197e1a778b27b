// The disc import dialog and the Network screen in Debian's Chromium against the real services and real dcmtk
// peers on loopback: a DICOMDIR written by dcmmkdir is read, shown as a tree and imported in part (a missing and a
// damaged file are listed, the rest imports: exactly the ticked images reach the catalog); settings survive a
// reload; the receiver, turned on in the UI, takes storescu's image and refuses an unknown AE title (shown, and
// allowed in one step); echo answers from dcmqrscp and storescp; a query lists dcmqrscp's studies and a C-MOVE
// retrieve brings one back.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { networkService } from '../src-main/network/ipc.ts';
import { freePort, LOOPBACK, runTool, startTool, waitForPort } from '../src-main/network/testing/dcmtk.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';
import { sha256File, startPacs, storescu, writeDisc, type Pacs } from './support/dicom-peers.ts';
import { withHarnessVault } from './support/harness-vault.ts';

const XA = join(sharedDataDir(), 'dicom', 'xa');
const XA_FILES = ['XA1_J2KI', 'XA1_J2KR', 'XA1_JLSL', 'XA1_JLSN', 'XA1_JPLL', 'XA1_JPLY', 'XA1_RLE', 'XA1_UNC', 'XA_cine_96f_jpeg_baseline'].map((name) => join(XA, `${name}.dcm`));
const CINE = join(XA, 'XA_cine_96f_jpeg_baseline.dcm');
const RLE = join(XA, 'XA1_RLE.dcm');
const SC = join(sharedDataDir(), 'dicom', 'misc', 'SC_rgb.dcm');
const OUR_AE = 'ANGIO_E2E';

let dir: string;
let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
let pacs: Pacs;
let storescp: ReturnType<typeof startTool> | null = null;
let ourPort: number;
let disc: string[];

const catalogShas = (): Set<string> =>
  new Set((harness.ctx.store.db.prepare('SELECT source_sha256 AS sha FROM instances').all() as { sha: string }[]).map((r) => r.sha));
/** The original SOP Instance UIDs behind the catalog's (de-identified) ones, looked up in the vault. */
function catalogOriginalUids(): Set<string> {
  const rows = harness.ctx.store.db.prepare('SELECT sop_instance_uid AS uid FROM instances').all() as { uid: string }[];
  return withHarnessVault(harness.ctx.dataDir, (vault) => new Set(rows.map((r) => vault.originalOf('uid', r.uid) ?? `unmapped ${r.uid}`)));
}
const field = (name: string) => page.locator(`[data-field="${name}"]`);
const transfers = () => page.getByTestId('transfers');
/** Scrolls the transfers list fully into view, for a screenshot of what it shows. */
const showTransfers = () => transfers().evaluate((card) => card.scrollIntoView({ block: 'end' }));

/** A UID of the file as dcmdump reads it (0020,000D study, 0008,0018 SOP instance). */
async function uidOf(file: string, tag: '0020,000d' | '0008,0018'): Promise<string> {
  const dump = await runTool('dcmdump', ['+P', tag, file], 20_000);
  const uid = /\[([\d.]+)\]/.exec(dump.stdout)?.[1];
  assert.ok(uid, `dcmdump found no ${tag} in ${file}: ${dump.stdout}${dump.stderr}`);
  return uid;
}
const studyUid = (file: string) => uidOf(file, '0020,000d');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-network-ui-'));
  disc = await writeDisc(join(dir, 'disc'), XA_FILES);
  // One image gone from the disc and one overwritten with junk: both must be reported, neither may stop the import.
  unlinkSync(disc[1]!);
  writeFileSync(disc[3]!, new Uint8Array(4096).fill(0x5a));
  ourPort = await freePort();
  pacs = await startPacs(dir, [CINE, SC], { aeTitle: OUR_AE, port: ourPort });
  harness = await startHarness({ dataDir: join(dir, 'data') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  pageErrors = watchPageErrors(page);
  await page.goto(harness.url);
});

after(async () => {
  await browser?.close();
  // The receiver listens until its service closes; the harness alone would leave the port open.
  if (harness) await networkService(harness.ctx).close();
  await harness?.close();
  await pacs?.stop();
  await storescp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('the disc dialog reads the DICOMDIR and shows patients, studies and series with the missing image', async () => {
  await page.locator('[data-action="open-media-import"]').click();
  const dialog = page.getByTestId('media-dialog');
  await dialog.waitFor();
  await keepScreenshot(page, 'media-dialog-empty');
  await field('media-path').fill(join(dir, 'disc'));
  await page.keyboard.press('Enter');
  const tree = page.getByTestId('media-tree');
  await tree.locator('li[data-level="series"]').nth(2).waitFor();
  assert.equal(await tree.locator('li[data-level="patient"]').count(), 2);
  assert.equal(await tree.locator('li[data-level="study"]').count(), 3);
  assert.match((await page.getByTestId('media-summary').textContent()) ?? '', /2 patients · 3 studies · 3 series · 9 images/);
  assert.match((await page.getByTestId('media-missing').textContent()) ?? '', /1 image named in the DICOMDIR is not on the disc/);
  const seven = tree.locator('li[data-level="series"]', { hasText: '7 images' });
  assert.match((await seven.textContent()) ?? '', /1 missing/);
  assert.equal(await page.getByTestId('media-selected').textContent(), '9 of 9 images selected');
  await keepScreenshot(page, 'media-dialog-contents');
});

test('importing one ticked series brings exactly its readable images; the missing and damaged ones are listed', async () => {
  const tree = page.getByTestId('media-tree');
  await page.locator('[data-action="select-none"]').click();
  const seven = tree.locator('li[data-level="series"]', { hasText: '7 images' });
  // Keyboard: the series' box takes Space, and opening the series lists its images.
  await seven.locator('input[type="checkbox"]').first().focus();
  await page.keyboard.press('Space');
  await seven.getByRole('button', { name: 'Open series' }).click();
  await seven.locator('li[data-level="image"]').nth(6).waitFor();
  assert.equal(await page.getByTestId('media-selected').textContent(), '7 of 9 images selected');
  const halfTicked = await tree.locator('li[data-level="patient"] > .row input').evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).indeterminate));
  assert.ok(halfTicked.includes(true), 'the patient with a ticked and an unticked study shows half-ticked');
  await keepScreenshot(page, 'media-dialog-selection');

  await page.locator('[data-action="import-media"]').click();
  const job = page.getByTestId('media-job');
  await job.locator('xpath=self::*[@data-status="succeeded"]').waitFor({ timeout: 120_000 });
  assert.match((await job.textContent()) ?? '', /5 imported, 2 could not be imported \(listed below\)\./);
  const problems = page.getByTestId('media-problems');
  assert.equal(await problems.locator('tr[data-file="IMAGES/IM0002"]').getAttribute('data-status'), 'missing');
  assert.equal(await problems.locator('tr[data-file="IMAGES/IM0004"]').getAttribute('data-status'), 'rejected');
  await keepScreenshot(page, 'media-dialog-imported');

  const expected = new Set([0, 2, 4, 5, 7].map((i) => sha256File(disc[i]!)));
  assert.deepEqual(catalogShas(), expected, 'the catalog holds exactly the five readable images of the ticked series');
  assert.deepEqual(catalogOriginalUids(), new Set(await Promise.all([0, 2, 4, 5, 7].map((i) => uidOf(disc[i]!, '0008,0018')))));
  await page.keyboard.press('Escape');
  await page.getByTestId('media-dialog').waitFor({ state: 'hidden' });
  const patients = page.getByTestId('library-tree').locator('li.patient');
  await patients.first().waitFor();
  assert.equal(await patients.count(), 1);
  assert.match((await patients.first().textContent())?.replace(/\s+/g, ' ') ?? '', /1 study · 1 series · 5 images/);
  await keepScreenshot(page, 'media-library-after');
});

test('network settings are saved, checked, and survive a reload', async () => {
  await page.keyboard.press('Alt+8');
  await page.locator('h1#screen-title', { hasText: 'Network' }).waitFor();
  await field('aeTitle').waitFor();
  assert.equal(await page.getByTestId('receiver-state').getAttribute('data-running'), 'false');
  await keepScreenshot(page, 'network-defaults');

  await field('port').fill('70000');
  await page.locator('[data-action="save-network-settings"]').click();
  assert.match((await page.locator('[data-problem="port"]').textContent()) ?? '', /1 to 65535/);

  await field('aeTitle').fill(OUR_AE);
  await field('port').fill(String(ourPort));
  await field('pacsAeTitle').fill(pacs.aeTitle);
  await field('pacsHost').fill(LOOPBACK);
  await field('pacsPort').fill(String(pacs.port));
  await page.locator('[data-action="add-peer"]').click();
  await field('peers.0.aeTitle').fill('MODALITY');
  await field('peers.0.description').fill('Cath lab storescu');
  await page.keyboard.press('Control+s');
  await page.getByTestId('notice-ok').getByText('Network settings saved.').waitFor();
  const saved = networkService(harness.ctx).settings();
  assert.equal(saved.aeTitle, OUR_AE);
  assert.deepEqual(saved.pacs, { aeTitle: 'PACS', host: LOOPBACK, port: pacs.port });
  assert.deepEqual(saved.allowedPeers, [{ aeTitle: 'MODALITY', host: null, description: 'Cath lab storescu' }]);

  await page.reload();
  await page.keyboard.press('Alt+8');
  await field('aeTitle').waitFor();
  await page.waitForFunction((ae) => (document.querySelector('[data-field="aeTitle"]') as HTMLInputElement | null)?.value === ae, OUR_AE);
  assert.equal(await field('port').inputValue(), String(ourPort));
  assert.equal(await field('pacsPort').inputValue(), String(pacs.port));
  assert.equal(await field('peers.0.aeTitle').inputValue(), 'MODALITY');
  await keepScreenshot(page, 'network-settings-reloaded');
});

test('the receiver turned on in the UI takes storescu\'s image; an unknown AE title is refused and shown', async () => {
  await page.locator('[data-action="receiver-switch"]').click();
  const state = page.getByTestId('receiver-state');
  await state.locator('xpath=self::*[@data-running="true"]').waitFor();
  assert.match((await state.textContent()) ?? '', new RegExp(`Listening on 127\\.0\\.0\\.1:${ourPort} as ${OUR_AE}`));

  const sent = await storescu([RLE], 'MODALITY', OUR_AE, ourPort, ['-xr']);
  assert.equal(sent.status, 0, `storescu failed: ${sent.stderr}`);
  const received = transfers().locator('tr[data-kind="receive"][data-status="succeeded"]');
  await received.waitFor();
  assert.match((await received.textContent()) ?? '', /MODALITY at 127\.0\.0\.1/);
  assert.match((await received.locator('[data-field="counts"]').textContent()) ?? '', /^1 image · /);
  assert.ok(catalogOriginalUids().has(await uidOf(RLE, '0008,0018')), 'the received image is in the catalog');
  await state.getByText('1 image received').waitFor();
  await showTransfers();
  await keepScreenshot(page, 'network-received');

  const refused = await storescu([RLE], 'STRANGER', OUR_AE, ourPort, ['-xr']);
  assert.notEqual(refused.status, 0, 'storescu reports the refusal');
  const row = transfers().locator('tr[data-status="rejected"]');
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /STRANGER at 127\.0\.0\.1.*Refused.*not on the allowed peers list/s);
  await state.getByText('1 refused').waitFor();
  await showTransfers();
  await keepScreenshot(page, 'network-refused');

  await row.locator('[data-action="allow-peer"]').click();
  await page.getByTestId('notice-ok').getByText('STRANGER may now send to this workstation from 127.0.0.1.').waitFor();
  assert.equal(await field('peers.1.aeTitle').inputValue(), 'STRANGER');
  const again = await storescu([RLE], 'STRANGER', OUR_AE, ourPort, ['-xr']);
  assert.equal(again.status, 0, `the allowed peer is accepted now: ${again.stderr}`);
});

test('echo answers from dcmqrscp and from storescp; an unreachable peer gets a sentence with a way on', async () => {
  await page.locator('[data-action="echo-pacs"]').click();
  const pacsAnswer = page.getByTestId('echo-pacs-answer');
  await pacsAnswer.locator('xpath=self::*[@data-state="ok" or @data-state="failed"]').waitFor();
  assert.match((await pacsAnswer.textContent()) ?? '', /Answered C-ECHO in \d+ ms/);

  const port = await freePort();
  storescp = startTool('storescp', ['-aet', 'STORESCP', '--output-directory', dir, String(port)]);
  await waitForPort(port);
  await page.getByTestId('allowed-peers').locator('tr[data-peer="0"]').getByRole('button', { name: 'Echo…' }).click();
  assert.equal(await field('check.aeTitle').inputValue(), 'MODALITY');
  assert.ok(await field('check.port').evaluate((input) => input === document.activeElement), 'the port field takes the focus');
  await page.keyboard.type(String(port));
  await field('check.aeTitle').fill('STORESCP');
  await field('check.host').fill(LOOPBACK);
  await page.keyboard.press('Enter');
  const answer = page.getByTestId('echo-check-answer');
  await answer.locator('xpath=self::*[@data-state="ok" or @data-state="failed"]').waitFor({ timeout: 20_000 });
  assert.equal(await answer.getAttribute('data-state'), 'ok', `${await answer.textContent()}\n${storescp.output()}`);
  await keepScreenshot(page, 'network-echo-ok');
  await storescp.stop();
  storescp = null;
  await field('check.port').fill(String(await freePort()));
  await page.locator('[data-action="echo-check"]').click();
  await answer.locator('xpath=self::*[@data-state="failed"]').waitFor({ timeout: 30_000 });
  assert.match((await answer.textContent()) ?? '', /Cannot reach .*Check the address, the port and that the peer is running/);
  await keepScreenshot(page, 'network-echo');
});

test('a study query lists the PACS\'s studies; a C-MOVE retrieve brings the cine run into the catalog', async () => {
  await page.locator('[data-action="query-pacs"]').click();
  const status = page.getByTestId('query-status');
  await status.locator('xpath=self::*[@data-status="succeeded"]').waitFor({ timeout: 30_000 });
  const rows = page.getByTestId('query-results').locator('tr[data-study-uid]');
  const listed = new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-study-uid'))));
  assert.deepEqual(listed, new Set([await studyUid(CINE), await studyUid(SC)]));
  assert.match((await rows.allTextContents()).join('\n'), /1994-10-13/);
  assert.equal(await status.textContent(), '2 studies found.');
  await keepScreenshot(page, 'network-query');

  const cine = rows.and(page.locator(`[data-study-uid="${await studyUid(CINE)}"]`));
  await cine.locator('input[type="checkbox"]').check();
  await page.locator('[data-action="retrieve"]').click();
  const job = page.getByTestId('retrieve-job');
  await job.locator('xpath=self::*[@data-status="succeeded"]').waitFor({ timeout: 120_000 });
  assert.match((await job.textContent()) ?? '', /Retrieved 1 image\. They are in the Library\./);
  await transfers().locator('tr[data-kind="retrieve"][data-status="succeeded"]').waitFor();
  assert.ok(catalogOriginalUids().has(await uidOf(CINE, '0008,0018')), 'the retrieved cine is in the catalog');
  await keepScreenshot(page, 'network-retrieved');
  await showTransfers();
  await keepScreenshot(page, 'network-transfers');
  assert.deepEqual(pageErrors, []);
});
