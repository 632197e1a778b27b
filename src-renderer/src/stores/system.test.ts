// The System panel against a fake main: facts, and the self-check job folded from its own events only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail } from '../testing/fake-api.ts';

const { SystemStore } = await import('./system.svelte.ts');

const info = {
  appName: 'Angio', appVersion: '0.1.0', nodeVersion: 'v24.21.0', electronVersion: null, platform: 'linux', host: 'harness' as const,
  dataDir: '/data', sharedDataDir: '/shared', sharedDataPresent: true, addon: { loaded: true, version: '1', error: null }, startedAt: '2026-03-01T10:00:00Z',
};

test('the self-check folds its checks, progress and end; another job is ignored', async () => {
  const fake = createFakeApi().handle('system.info', () => info).handle('diagnostics.start', () => ({ jobId: 'check-1' }));
  const store = new SystemStore(fake.api);
  await store.refresh();
  assert.equal(store.info?.host, 'harness');
  await store.runSelfCheck(50);
  assert.deepEqual(fake.inputsOf('diagnostics.start'), [{ delayMs: 50 }]);
  assert.equal(store.checkStatus, 'running');
  fake.emit('diagnostics.check', { jobId: 'check-1', name: 'addon', ok: true, detail: 'loaded' });
  fake.emit('diagnostics.check', { jobId: 'other', name: 'stray', ok: false, detail: '' });
  fake.emit('job.progress', { jobId: 'check-1', kind: 'diagnostics', stage: 'checking', done: 1, total: 2 });
  fake.emit('job.finished', { jobId: 'other', kind: 'diagnostics', status: 'failed' });
  assert.equal(store.checkStatus, 'running');
  fake.emit('job.finished', { jobId: 'check-1', kind: 'diagnostics', status: 'succeeded', result: { passed: 1, failed: 0 } });
  assert.deepEqual(store.checks, [{ name: 'addon', ok: true, detail: 'loaded' }]);
  assert.deepEqual(store.progress, { done: 1, total: 2 });
  assert.equal(store.checkStatus, 'succeeded');
  assert.deepEqual(fake.violations, []);
});

test('a refused self-check or info request shows main\'s words', async () => {
  const fake = createFakeApi()
    .handle('system.info', () => fail('internal', 'Unexpected failure: disk gone'))
    .handle('diagnostics.start', () => fail('busy', 'A self-check is already running.'));
  const store = new SystemStore(fake.api);
  await store.refresh();
  assert.equal(store.error, 'Unexpected failure: disk gone');
  await store.runSelfCheck();
  assert.equal(store.checkStatus, 'failed');
  assert.equal(store.error, 'A self-check is already running.');
});
