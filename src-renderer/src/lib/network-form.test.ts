// The network settings form: what it saves, the sentences it shows for what main would refuse; the query form's keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NetworkSettings } from '../../../src-preload/channels/network.ts';
import { draftFrom, emptyQuery, isDirty, patchFrom, queryFrom } from './network-form.ts';

const saved: NetworkSettings = {
  aeTitle: 'ANGIO_SSLQ', bindAddress: '127.0.0.1', port: 11112, receiverEnabled: false, allowedPeers: [{ aeTitle: 'CATHLAB', host: null, description: 'Lab 1' }],
  pacs: null, retrieveMethod: 'move', associationTimeoutSeconds: 30, pduTimeoutSeconds: 60,
};

test('an unchanged draft is clean and saves the same values', () => {
  const draft = draftFrom(saved);
  assert.equal(isDirty(draft, saved), false);
  const result = patchFrom(draft);
  assert.ok(result.ok);
  assert.deepEqual(result.patch, { aeTitle: 'ANGIO_SSLQ', bindAddress: '127.0.0.1', port: 11112, retrieveMethod: 'move', pacs: null, allowedPeers: saved.allowedPeers });
});

test('a PACS and a peer pinned to an address are saved as typed, trimmed', () => {
  const draft = { ...draftFrom(saved), pacsAeTitle: ' PACS ', pacsHost: '10.0.0.5', pacsPort: '104', peers: [{ aeTitle: 'MOD', host: '10.0.0.9', description: '' }] };
  assert.equal(isDirty(draft, saved), true);
  const result = patchFrom(draft);
  assert.ok(result.ok);
  assert.deepEqual(result.patch.pacs, { aeTitle: 'PACS', host: '10.0.0.5', port: 104 });
  assert.deepEqual(result.patch.allowedPeers, [{ aeTitle: 'MOD', host: '10.0.0.9', description: '' }]);
});

test('bad fields each get a sentence; nothing is saved', () => {
  const draft = { ...draftFrom(saved), aeTitle: 'A\\B', bindAddress: 'localhost', port: '70000', pacsAeTitle: 'ANGIO_SSLQ', peers: [{ aeTitle: '', host: 'bad host!', description: '' }] };
  const result = patchFrom(draft);
  assert.ok(!result.ok);
  assert.deepEqual(Object.keys(result.problems).sort(), ['aeTitle', 'bindAddress', 'pacsHost', 'pacsPort', 'peers.0.aeTitle', 'peers.0.host', 'port']);
  assert.match(result.problems.port!, /1 to 65535/);
  const clash = patchFrom({ ...draftFrom(saved), pacsAeTitle: 'ANGIO_SSLQ', pacsHost: '10.0.0.5', pacsPort: '104' });
  assert.ok(!clash.ok);
  assert.match(clash.problems.pacsAeTitle!, /different from this workstation/);
});

test('the query form leaves empty fields out and turns a date range into DICOM’s', () => {
  assert.deepEqual(queryFrom(emptyQuery), {});
  assert.deepEqual(queryFrom({ ...emptyQuery, patientName: ' DOE^J* ', dateFrom: '2024-01-02', dateTo: '2024-03-04' }), { patientName: 'DOE^J*', studyDate: '20240102-20240304' });
  assert.deepEqual(queryFrom({ ...emptyQuery, dateFrom: '2024-01-02', dateTo: '2024-01-02' }), { studyDate: '20240102' });
  assert.deepEqual(queryFrom({ ...emptyQuery, dateTo: '2024-01-02' }), { studyDate: '-20240102' });
});
