// Hostile strings from DICOM tags and file names cannot run script in the app: files whose PatientName, PatientID,
// StudyDescription, SeriesDescription and Modality carry HTML/script payloads, and files whose names do, are imported
// through the Library screen in Chromium (the harness, real services); the tree, the revealed identity and the
// rejected-files list show them as text, no handler fires, no dialog opens, the page logs no error. The harness
// WebSocket answers malformed frames with typed errors and keeps serving. (Manifest and export-name traversal:
// tests/reliability/fuzz.test.ts; IPC channel fuzzing: tests/reliability/ipc-fuzz.test.ts; no outbound socket:
// e2e/electron-network.test.ts; de-identification: src-main/ingest and src-main/deid tests.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { sharedDataDir } from '../src-main/app/paths.ts';
import { startHarness, type Harness } from './harness/start-harness.ts';
import { keepScreenshot, launchChromium, watchPageErrors } from './support/browser.ts';

const PAYLOADS = {
  name: '<img src=x onerror="window.__pwned=\'name\'">^Evil',
  id: '"><script>window.__pwned="id"</script>',
  study: '<svg onload="window.__pwned=\'study\'">',
  series: 'javascript:window.__pwned="series"',
  modality: '<b onmouseover=alert(1)>XA',
};
const HOSTILE_FILE = '<img src=x onerror=window.__pwned=1>.dcm';

let scratch: string;
let harness: Harness;
let browser: Browser;
let page: Page;
let pageErrors: string[];
const dialogs: string[] = [];

before(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'angio-security-'));
  const folder = join(scratch, 'hostile');
  mkdirSync(folder);
  const good = join(folder, 'evil-tags.dcm');
  copyFileSync(join(sharedDataDir(), 'dicom', 'misc', 'MR_small.dcm'), good);
  execFileSync('dcmodify', ['-nb', '-i', `(0010,0010)=${PAYLOADS.name}`, '-i', `(0010,0020)=${PAYLOADS.id}`, '-i', `(0008,1030)=${PAYLOADS.study}`, '-i', `(0008,103E)=${PAYLOADS.series}`, '-i', `(0008,0060)=${PAYLOADS.modality}`, good], { stdio: 'pipe' });
  // A damaged file with a hostile name lands in the rejected-files list, name and all.
  writeFileSync(join(folder, HOSTILE_FILE), readFileSync(join(sharedDataDir(), 'dicom', 'misc', 'MR_truncated.dcm')));
  harness = await startHarness({ dataDir: join(scratch, 'data') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  pageErrors = watchPageErrors(page);
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto(harness.url);
});

after(async () => {
  await browser?.close();
  await harness?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const pwned = () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null);

test('importing hostile files through the Library shows the file name as text and runs nothing', async () => {
  await page.locator('[data-screen="library"]').waitFor();
  await page.locator('[data-field="import-folder"]').fill(join(scratch, 'hostile'));
  await page.locator('[data-action="import"]').click();
  await page.locator('[data-testid="import-job"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
  const rejected = page.getByTestId('rejected-files');
  await rejected.waitFor();
  assert.equal(await rejected.locator('td.mono').first().textContent(), HOSTILE_FILE, 'the hostile file name is shown literally');
  assert.equal(await rejected.locator('img').count(), 0, 'the file name became markup');
  assert.equal(await pwned(), null);
});

test('hostile tag values appear only as text in the tree and in the revealed identity', async () => {
  await page.getByRole('button', { name: 'Refresh' }).click();
  const patient = page.locator('[data-testid="library-tree"] li.patient').first();
  await patient.waitFor();
  await page.locator('[data-field="reader"]').fill('Dr Security <script>window.__pwned="reader"</script>');
  await patient.locator('[data-action="reveal"]').click();
  const identity = patient.getByTestId('identity');
  await identity.waitFor();
  const shown = await identity.textContent();
  assert.ok(shown?.includes(PAYLOADS.name.replace('^', ' ')) || shown?.includes(PAYLOADS.name), `the name is not shown literally: ${shown}`);
  assert.ok(shown?.includes(PAYLOADS.id), `the patient ID is not shown literally: ${shown}`);
  await patient.locator('button.toggle').first().click();
  await page.locator('li.study').first().waitFor();
  const tree = (await page.getByTestId('library-tree').textContent()) ?? '';
  assert.ok(tree.includes(PAYLOADS.modality), `the modality is not shown literally: ${tree.slice(0, 400)}`);
  // Descriptions are removed by de-identification: they must not be in the page at all.
  const html = await page.content();
  assert.ok(!html.includes('onload="window.__pwned'), 'a description reached the page as markup');
  assert.ok(!tree.includes('window.__pwned="series"'), 'the series description survived de-identification');
  await page.mouse.move(10, 10);
  for (const element of await page.locator('[data-testid="library-tree"] *').all()) await element.hover({ timeout: 200 }).catch(() => undefined);
  assert.equal(await page.locator('[data-testid="library-tree"] img[src="x"], [data-testid="library-tree"] script, [data-testid="library-tree"] svg[onload]').count(), 0);
  assert.equal(await pwned(), null, 'an injected handler ran');
  assert.deepEqual(dialogs, [], 'a dialog opened');
  await keepScreenshot(page, 'security-hostile-library');
});

test('the harness WebSocket answers malformed frames with typed errors and keeps serving', async () => {
  const socket = new WebSocket(`ws://127.0.0.1:${harness.host.port}/ipc?token=${harness.host.token}`, { origin: new URL(harness.url).origin });
  await new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)));
  const answers: { type: string; id: number; result: { ok: boolean; error?: { code: string } } }[] = [];
  socket.on('message', (data, binary) => {
    if (!binary) {
      const message = JSON.parse(data.toString());
      if (message.type === 'result') answers.push(message);
    }
  });
  const frames: (string | Buffer)[] = [
    'not json',
    '{"type":"invoke"}',
    '{"type":"invoke","id":-1,"channel":"system.info"}',
    '{"type":"invoke","id":1.5,"channel":"system.info"}',
    `{"type":"invoke","id":${2 ** 40},"channel":"system.info"}`,
    '{"type":"invoke","id":7,"channel":"__proto__","input":{}}',
    '{"type":"invoke","id":8,"channel":"library.instance","input":{"instanceId":"1 OR 1=1"}}',
    '{"type":"pixels","id":9,"route":"library.frame","params":{"instanceId":999999,"frame":0}}',
    '{"type":"send","channel":"renderer.log","payload":{"level":"x"}}',
    '[]',
    'null',
    `{"type":"invoke","id":10,"channel":"system.info","input":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    Buffer.from([0, 1, 2, 3, 255]),
    '{"__proto__":{"polluted":true},"type":"invoke","id":11,"channel":"system.info","input":{}}',
  ];
  for (const frame of frames) socket.send(frame);
  socket.send('{"type":"invoke","id":99,"channel":"system.info","input":{}}');
  for (let waited = 0; !answers.some((a) => a.id === 99) && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  socket.close();
  assert.ok(answers.find((a) => a.id === 99)?.result.ok, 'the services stopped answering after malformed frames');
  for (const answer of answers.filter((a) => a.id !== 99 && a.id !== 11)) {
    assert.equal(answer.result.ok, false, JSON.stringify(answer));
    assert.match(answer.result.error?.code ?? '', /^(invalid-input|unknown-channel|instance-not-found)$/, JSON.stringify(answer));
  }
  assert.ok(answers.filter((a) => a.id === -1).length >= 8, `malformed frames were not all answered: ${JSON.stringify(answers)}`);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('the page ran without script errors', () => {
  assert.deepEqual(pageErrors, []);
});
