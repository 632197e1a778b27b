// The transfers list: live rows replace their earlier versions by id, newest first, and read as words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Transfer } from '../../../src-preload/channels/network.ts';
import { canAllowPeer, countsLabel, peerLabel, upsertTransfer } from './transfers.ts';
import { formatBytes } from './words.ts';

const row = (id: string, startedAt: string, change: Partial<Transfer> = {}): Transfer => ({
  id, direction: 'incoming', kind: 'receive', peerAeTitle: 'MODALITY', peerHost: '127.0.0.1', status: 'running', startedAt, finishedAt: null,
  done: 0, failed: 0, total: null, bytes: 0, errorCode: null, message: null, jobId: null, ...change,
});

test('an event replaces the row with its id and keeps the newest first, within the limit', () => {
  let list = [row('a', '2025-01-01T10:00:00Z'), row('b', '2025-01-01T09:00:00Z')];
  list = upsertTransfer(list, row('b', '2025-01-01T09:00:00Z', { status: 'succeeded', done: 2 }));
  assert.deepEqual(list.map((t) => [t.id, t.status]), [['a', 'running'], ['b', 'succeeded']]);
  list = upsertTransfer(list, row('c', '2025-01-01T11:00:00Z'), 2);
  assert.deepEqual(list.map((t) => t.id), ['c', 'a']);
});

test('counts, peers and sizes read as words', () => {
  assert.equal(countsLabel(row('a', '', { done: 5, total: 7, failed: 1, bytes: 2_100_000 })), '5 of 7 images · 1 failed · 2.1 MB');
  assert.equal(countsLabel(row('a', '', { kind: 'query', done: 1 })), '1 study found');
  assert.equal(countsLabel(row('a', '', { status: 'rejected' })), '—');
  assert.equal(peerLabel(row('a', '')), 'MODALITY at 127.0.0.1');
  assert.equal(peerLabel(row('a', '', { peerAeTitle: null, peerHost: null })), '—');
  assert.deepEqual([formatBytes(999), formatBytes(1_500), formatBytes(25_000_000)], ['999 B', '1.5 kB', '25 MB']);
});

test('a refused unknown peer can be allowed; one already on the list cannot', () => {
  const refused = row('a', '', { status: 'rejected', errorCode: 'network-peer-rejected', peerAeTitle: 'STRANGER' });
  assert.equal(canAllowPeer(refused, []), true);
  assert.equal(canAllowPeer(refused, [{ aeTitle: 'STRANGER' }]), false);
  assert.equal(canAllowPeer(row('b', ''), []), false);
});
