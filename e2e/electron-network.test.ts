// "No outbound connection except to the DICOM peers the user configured": the main services run with the network
// unreachable (every non-loopback connect, UDP send and DNS look-up from this process is recorded and refused) —
// the built main bundle under the fake electron, then the loopback harness with Chromium driving the app — and the
// test asserts every socket opened stayed on this machine and every page request went to the app itself.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';
import { installNetworkGuard } from './support/fake-electron/network-guard.ts';

const guard = installNetworkGuard([]);
const { invokeChannels } = await import('../src-preload/contract.ts');
const { IPC_INVOKE } = await import('../src-preload/ipc-names.ts');
const { launchMain, quitMain, recorded } = await import('./support/fake-electron/launch-main.ts');

const describe = (list: typeof guard.attempts) => list.map((a) => `${a.kind} ${a.host}${a.port === null ? '' : `:${a.port}`}\n${a.stack}`).join('\n\n');

test('the guard itself sees and refuses connections to the outside (positive control)', async () => {
  const before = guard.attempts.length;
  const error = await new Promise<NodeJS.ErrnoException>((resolve) => net.connect(104, '192.0.2.10').on('error', resolve));
  assert.equal(error.code, 'ENETUNREACH');
  await assert.rejects(fetch('http://pacs.example.invalid:8042/studies'));
  const seen = guard.attempts.splice(before);
  assert.ok(seen.some((a) => a.kind === 'tcp' && a.host === '192.0.2.10' && a.port === 104 && !a.allowed), describe(seen));
  assert.ok(seen.some((a) => a.host === 'pacs.example.invalid' && !a.allowed), describe(seen));
});

test('the Electron main services open no outbound connection', async () => {
  const launched = await launchMain();
  const invoke = launched.invokeHandlers.get(IPC_INVOKE)!;
  const trusted = { senderFrame: { url: launched.windows[0]!.loadedUrl, parent: null } };
  // Every channel with its defaults; jobs they start (a default training run now runs for real on the bundled
  // worker) are cancelled at once: this test is about connections, not about finishing them.
  // Training channels are left out: a default run trains for many minutes and opens no connection anyway.
  for (const channel of Object.keys(invokeChannels).filter((name) => !name.startsWith('training.'))) {
    const answer = (await invoke(trusted, channel, {})) as { ok: boolean; value?: { jobId?: unknown } };
    if (answer.ok && typeof answer.value?.jobId === 'string') await invoke(trusted, 'jobs.cancel', { jobId: answer.value.jobId });
  }
  const started = (await invoke(trusted, 'diagnostics.start', {})) as { ok: boolean; value: { jobId: string } };
  assert.ok(started.ok);
  const finished = () => recorded.sent.some(([, event, payload]) => event === 'job.finished' && (payload as { jobId: string }).jobId === started.value.jobId);
  for (let waited = 0; !finished() && waited < 15_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(finished(), 'the self-check job did not finish');
  await quitMain();
  assert.deepEqual(guard.attempts.filter((a) => !a.allowed), [], describe(guard.attempts.filter((a) => !a.allowed)));
});

test('the app in Chromium over the loopback harness requests nothing but the app, and main connects nowhere', async () => {
  const { startHarness } = await import('./harness/start-harness.ts');
  const { launchChromium } = await import('./support/browser.ts');
  const harness = await startHarness();
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(harness.url);
    await page.getByTestId('system-panel').locator('[data-field="appVersion"]').waitFor();
    await page.locator('[data-action="self-check"]').click();
    await page.locator('.checks[data-status="succeeded"], .checks[data-status="failed"]').waitFor({ timeout: 15_000 });
    const origin = new URL(harness.url).origin;
    const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    assert.deepEqual(foreign, [], 'the renderer requested something other than the app');
    assert.ok(requests.length > 2, 'the page made no requests at all: the recorder is not working');
  } finally {
    await browser.close();
    await harness.close();
  }
  assert.deepEqual(guard.attempts.filter((a) => !a.allowed), [], describe(guard.attempts.filter((a) => !a.allowed)));
  assert.equal(guard.unseenSockets(), 0, 'a client socket was created without passing the recorder');
});
