// The network settings against a fake main: the draft checked before saving (nothing sent when a field is wrong),
// saving and the receiver's status, turning the receiver on saves unsaved edits first, echo answers, errors in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkSettings, ReceiverStatus } from '../../../src-preload/channels/network.ts';
import '../testing/svelte-modules.ts';
import { createFakeApi, fail } from '../testing/fake-api.ts';

const { NetworkSettingsStore } = await import('./network-settings.svelte.ts');

const settings: NetworkSettings = {
  aeTitle: 'ANGIO_WS1', bindAddress: '127.0.0.1', port: 11112, receiverEnabled: false, allowedPeers: [], pacs: null,
  retrieveMethod: 'get', associationTimeoutSeconds: 30, pduTimeoutSeconds: 60,
};
const status = (running: boolean): ReceiverStatus => ({
  running, aeTitle: 'ANGIO_WS1', bindAddress: '127.0.0.1', port: running ? 11112 : null, since: null, activeAssociations: 0, received: 0, rejected: 0, lastError: null,
});

function main() {
  let saved = settings;
  let running = false;
  const fake = createFakeApi()
    .handle('network.settings.get', () => saved)
    .handle('network.receiver.status', () => status(running))
    .handle('network.settings.update', (patch) => (saved = { ...saved, ...patch }))
    .handle('network.receiver.start', () => status((running = true)))
    .handle('network.echo', () => ({ milliseconds: 12.4 }));
  return fake;
}

test('a wrong field is marked and nothing is sent; a good draft saves and the receiver starts on saved settings', async () => {
  const fake = main();
  const store = new NetworkSettingsStore(fake.api);
  await store.load();
  assert.equal(store.receiver?.running, false);
  store.draft!.port = '70000';
  assert.equal(store.dirty, true);
  assert.equal(await store.save(), false);
  assert.match(store.problems.port!, /1 to 65535/);
  assert.equal(store.notice?.tone, 'error');
  assert.equal(fake.inputsOf('network.settings.update').length, 0);

  store.draft!.port = '104';
  await store.setReceiver(true);
  assert.equal((fake.inputsOf('network.settings.update')[0] as { port: number }).port, 104, 'unsaved edits are saved before the receiver listens');
  assert.equal(store.saved?.port, 104);
  assert.equal(store.receiver?.running, true);
  assert.equal(store.dirty, false);
  assert.deepEqual(fake.violations, []);
});

test('receiver events keep the status live; echo answers and refusals are sentences', async () => {
  const fake = main().handle('network.receiver.start', () => fail('network-port-busy', 'Port 11112 is in use by another program.'));
  const store = new NetworkSettingsStore(fake.api);
  await store.load();
  fake.emit('network.receiver', { ...status(true), received: 4 });
  assert.equal(store.receiver?.received, 4);

  await store.echo('pacs', { aeTitle: 'PACS', host: '10.0.0.5', port: 104 });
  assert.deepEqual(store.echoes.pacs, { ok: true, text: 'Answered C-ECHO in 12 ms.' });
  fake.handle('network.echo', () => fail('network-timeout', 'PACS did not answer within 30 s.'));
  await store.echo('check', { pacs: true });
  assert.deepEqual(store.echoes.check, { ok: false, text: 'PACS did not answer within 30 s.' });

  await store.setReceiver(true);
  assert.deepEqual(store.notice, { tone: 'error', message: 'The receiver could not start: Port 11112 is in use by another program.' });
  assert.equal(store.busy, false);
});

test('allowing a refused peer saves it at once and keeps other edits unsaved', async () => {
  const fake = main();
  const store = new NetworkSettingsStore(fake.api);
  await store.load();
  store.draft!.aeTitle = 'ANGIO_WS2';
  await store.allowPeer('MODALITY1', '10.0.0.9');
  assert.deepEqual(fake.inputsOf('network.settings.update'), [{ allowedPeers: [{ aeTitle: 'MODALITY1', host: '10.0.0.9', description: 'Added after a refused association' }] }]);
  assert.equal(store.saved?.aeTitle, 'ANGIO_WS1');
  assert.equal(store.draft?.aeTitle, 'ANGIO_WS2');
  assert.equal(store.draft?.peers.length, 1);
  assert.equal(store.notice?.message, 'MODALITY1 may now send to this workstation from 10.0.0.9.');
  store.revert();
  assert.equal(store.draft?.aeTitle, 'ANGIO_WS1');
});
