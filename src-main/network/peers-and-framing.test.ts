// Pure rules of the receiver: who may associate (allowed list, address pinning, the PACS) and what PDU framing is
// tolerated before a byte reaches the protocol machine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideContext } from './acceptance.ts';
import { fileMetaHeader } from './part10.ts';
import { PduGuard } from './pdu-guard.ts';
import { admitPeer } from './peers.ts';

const settings = {
  aeTitle: 'ANGIO',
  allowedPeers: [
    { aeTitle: 'CATHLAB', host: '10.0.0.5', description: '' },
    { aeTitle: 'ANYWHERE', host: null, description: '' },
  ],
  pacs: { aeTitle: 'PACS', host: '10.0.0.9', port: 104 },
};

test('peers are admitted by AE title, pinned to their address when one is given', () => {
  const call = (callingAeTitle: string, remoteAddress: string, calledAeTitle = 'ANGIO') => admitPeer(settings, { callingAeTitle, calledAeTitle, remoteAddress });
  assert.deepEqual(call('CATHLAB', '::ffff:10.0.0.5'), { allowed: true, peer: 'CATHLAB' });
  assert.deepEqual(call('CATHLAB', '10.0.0.6'), { allowed: false, reason: 'address' });
  assert.deepEqual(call('ANYWHERE', '192.168.1.1'), { allowed: true, peer: 'ANYWHERE' });
  assert.deepEqual(call('PACS', '10.0.0.9'), { allowed: true, peer: 'PACS' });
  assert.deepEqual(call('STRANGER', '10.0.0.5'), { allowed: false, reason: 'calling-ae' });
  assert.deepEqual(call('CATHLAB', '10.0.0.5', 'OTHER'), { allowed: false, reason: 'called-ae' });
});

test('PDU framing: only known types, an association request first, bounded lengths, across chunk boundaries', () => {
  const limits = { maxDataPdu: 1000, maxControlPdu: 100 };
  const rq = new Uint8Array([0x01, 0, 0, 0, 0, 4, 1, 2, 3, 4]);
  const data = new Uint8Array([0x04, 0, 0, 0, 0x03, 0xe8]);
  const guard = new PduGuard(limits);
  assert.equal(guard.feed(rq.subarray(0, 3)), null);
  assert.equal(guard.feed(rq.subarray(3)), null);
  assert.equal(guard.feed(data), null);
  assert.equal(guard.feed(new Uint8Array(1000)), null);
  assert.match(guard.feed(new Uint8Array([0x04, 0, 0, 0, 0x03, 0xe9])) ?? '', /exceeds/);
  assert.match(new PduGuard(limits).feed(new TextEncoder().encode('GET / HTTP/1.1')) ?? '', /unknown PDU type 0x47/);
  assert.match(new PduGuard(limits).feed(data) ?? '', /first PDU was P-DATA-TF/);
});

test('presentation contexts: XA/RF/SC/SR in syntaxes we decode, the proposer\'s order first', () => {
  assert.deepEqual(decideContext('1.2.840.10008.5.1.4.1.1.12.1', ['1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.1']), { accept: true, transferSyntaxUid: '1.2.840.10008.1.2.4.50' });
  assert.deepEqual(decideContext('1.2.840.10008.5.1.4.1.1.481.2', ['1.2.840.10008.1.2.1']), { accept: false, reason: 'abstract-syntax' });
  assert.deepEqual(decideContext('1.2.840.10008.5.1.4.1.1.7', ['1.2.840.10008.1.2.4.100']), { accept: false, reason: 'transfer-syntax' });
  assert.deepEqual(decideContext('1.2.840.10008.1.1', ['1.2.840.10008.1.2']), { accept: true, transferSyntaxUid: '1.2.840.10008.1.2' });
});

test('the Part 10 header is a preamble, DICM and an even-padded group 0002 with its length', () => {
  const header = fileMetaHeader({ sopClassUid: '1.2.3', sopInstanceUid: '1.2.34', transferSyntaxUid: '1.2.840.10008.1.2.1', sourceAeTitle: 'MOD' });
  assert.equal(new TextDecoder().decode(header.subarray(128, 132)), 'DICM');
  const view = new DataView(header.buffer);
  assert.equal(view.getUint32(140, true), header.length - 144, 'group length counts every following meta byte');
  assert.equal(header.length % 2, 0);
});
