// The receiver against real senders on loopback: dcmtk's storescu and echoscu, and raw sockets that misbehave.
// Every received file must carry the original's pixel data byte for byte (pydicom reads both); refused, broken,
// stalled or cut-off associations leave nothing behind, and the receiver keeps answering echoscu afterwards.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { openStore, type Store } from '../store/index.ts';
import type { IngestFile } from './ingest-port.ts';
import { Receiver } from './receiver.ts';
import { LOOPBACK, pixelFacts, runTool } from './testing/dcmtk.ts';
import { TransferLog } from './transfer-log.ts';

const XA = join(sharedDataDir(), 'dicom', 'xa');
const MISC = join(sharedDataDir(), 'dicom', 'misc');
const CINE = join(XA, 'XA_cine_96f_jpeg_baseline.dcm');
const RT_DOSE = join(MISC, 'badVR.dcm');

/** storescu proposes one compression family per run; each file goes with the option for its own syntax. */
const STORESCU_SYNTAX_OPTION: Record<string, string> = {
  '1.2.840.10008.1.2.4.50': '-xy',
  '1.2.840.10008.1.2.4.51': '-xx',
  '1.2.840.10008.1.2.4.70': '-xs',
  '1.2.840.10008.1.2.4.80': '-xt',
  '1.2.840.10008.1.2.4.81': '-xu',
  '1.2.840.10008.1.2.4.90': '-xv',
  '1.2.840.10008.1.2.4.91': '-xw',
  '1.2.840.10008.1.2.5': '-xr',
  '1.2.840.10008.1.2.1.99': '-xd',
};

let dir: string;
let store: Store;
let receiver: Receiver;
let port: number;
let kept: string;
const ingested: string[] = [];
let ingestCalls = 0;

const ingestFile: IngestFile = async (path) => {
  ingestCalls++;
  const copy = join(kept, `${ingested.length}.dcm`);
  copyFileSync(path, copy);
  ingested.push(copy);
  return { status: 'imported' };
};

function storescu(files: string[], options: string[] = [], aet = 'MODALITY'): ReturnType<typeof runTool> {
  return runTool('storescu', [...options, '-aet', aet, '-aec', 'ANGIO_TEST', '-to', '10', LOOPBACK, String(port), ...files], 60_000);
}

function echoscu(aet = 'MODALITY'): ReturnType<typeof runTool> {
  return runTool('echoscu', ['-aet', aet, '-aec', 'ANGIO_TEST', '-to', '10', LOOPBACK, String(port)], 20_000);
}

function incomingLeftovers(): string[] {
  const incoming = join(dir, 'incoming');
  return existsSync(incoming) ? readdirSync(incoming) : [];
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Opens a raw TCP connection, writes `bytes`, and resolves when the receiver closes it (or fails after `timeoutMs`). */
function rawSession(bytes: Uint8Array | null, timeoutMs: number): Promise<{ closedByServer: boolean; received: number }> {
  return new Promise((resolve) => {
    let received = 0;
    const socket = connect({ host: LOOPBACK, port }, () => {
      if (bytes) socket.write(bytes);
    });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ closedByServer: false, received });
    }, timeoutMs);
    socket.on('data', (d) => (received += d.length));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ closedByServer: true, received });
    });
  });
}

/** A loopback proxy that forwards storescu's bytes to the receiver until `limit` bytes, then cuts or freezes. */
function cuttingProxy(limit: number, mode: 'cut' | 'freeze'): Promise<{ port: number; server: Server; sockets: Socket[] }> {
  return new Promise((resolve) => {
    const sockets: Socket[] = [];
    const server = createServer((client) => {
      const upstream = connect({ host: LOOPBACK, port });
      sockets.push(client, upstream);
      let forwarded = 0;
      client.on('data', (chunk) => {
        if (forwarded >= limit) return;
        const room = limit - forwarded;
        upstream.write(chunk.subarray(0, room));
        forwarded += Math.min(room, chunk.length);
        if (forwarded >= limit && mode === 'cut') {
          upstream.destroy();
          client.destroy();
        }
      });
      upstream.on('data', (chunk) => client.write(chunk));
      for (const s of [client, upstream]) s.on('error', () => undefined);
      upstream.on('close', () => client.destroy());
    });
    server.listen({ host: LOOPBACK, port: 0 }, () => {
      const address = server.address();
      resolve({ port: typeof address === 'object' && address ? address.port : 0, server, sockets });
    });
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-receiver-'));
  kept = join(dir, 'kept');
  mkdirSync(kept);
  store = openStore(join(dir, 'data'));
  receiver = new Receiver({ incomingDir: join(dir, 'incoming'), ingestFile, transfers: new TransferLog(store), log: () => undefined });
  const status = await receiver.start({
    aeTitle: 'ANGIO_TEST',
    bindAddress: LOOPBACK,
    port: 0,
    allowedPeers: [{ aeTitle: 'MODALITY', host: LOOPBACK, description: 'test modality' }],
    pacs: null,
    associationTimeoutSeconds: 1,
    pduTimeoutSeconds: 1,
    timeoutsMs: { association: 1_000, pdu: 1_000 },
  });
  port = status.port as number;
});

after(async () => {
  await receiver.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('DICOM receiver on loopback', () => {
  test('listens on loopback only, on the port it reports', () => {
    const status = receiver.status();
    assert.equal(status.running, true);
    assert.equal(status.bindAddress, '127.0.0.1');
    assert.ok(status.port && status.port > 0);
  });

  test('echoscu gets an answer from an allowed AE', async () => {
    const run = await echoscu();
    assert.equal(run.status, 0, `echoscu failed: ${run.stderr}`);
  });

  test('the XA files and the secondary captures sent by storescu arrive with identical pixel data', async () => {
    const originals = [
      ...readdirSync(XA).map((f) => join(XA, f)),
      ...readdirSync(MISC).filter((f) => /^SC_/.test(f) || f === 'JPEG-lossy.dcm' || f === 'image_dfl.dcm').map((f) => join(MISC, f)),
    ];
    const facts = new Map(pixelFacts(originals).map((f) => [f.file, f]));
    const groups = new Map<string, string[]>();
    for (const file of originals) {
      const option = STORESCU_SYNTAX_OPTION[facts.get(file)?.transferSyntaxUid ?? ''] ?? '';
      groups.set(option, [...(groups.get(option) ?? []), file]);
    }
    const before = ingested.length;
    const sentInOrder: string[] = [];
    for (const [option, files] of groups) {
      const run = await storescu(files, option ? [option] : []);
      assert.equal(run.status, 0, `storescu ${option} failed: ${run.stderr}`);
      sentInOrder.push(...files);
    }
    const received = ingested.slice(before);
    assert.equal(received.length, originals.length, 'one received file per sent file');
    // storescu sends in order and waits for each response, so the n-th file received is the n-th file sent.
    const receivedFacts = pixelFacts(received);
    sentInOrder.forEach((original, i) => {
      const sent = facts.get(original)!;
      const got = receivedFacts[i]!;
      assert.equal(got.sopInstanceUid, sent.sopInstanceUid, `${original}: another instance arrived in its place`);
      assert.equal(got.transferSyntaxUid, sent.transferSyntaxUid, `${original} did not arrive in its own transfer syntax`);
      assert.equal(got.pixelSha256, sent.pixelSha256, `${original}: pixel data differs after transfer`);
      assert.equal(got.frames, sent.frames);
    });
    assert.deepEqual(incomingLeftovers(), [], 'no temporary files stay behind');
  });

  test('an RT Dose object is refused at negotiation and storescu reports the failure', async () => {
    const before = ingestCalls;
    const run = await storescu([RT_DOSE], ['-R']);
    assert.notEqual(run.status, 0, 'storescu must report failure');
    assert.match(run.stderr, /No (Acceptable )?presentation context|Store Failed|0006:0208/i);
    assert.equal(ingestCalls, before, 'nothing reached ingest');
    const refused = new TransferLog(store).list({ limit: 5 }).find((t) => t.errorCode === 'network-class-refused');
    assert.ok(refused, 'the refusal is in the transfers log');
  });

  test('an association from an unknown AE title is rejected and logged', async () => {
    const run = await echoscu('STRANGER');
    assert.notEqual(run.status, 0);
    assert.match(run.stderr + run.stdout, /Calling AE Title Not Recognized/i);
    const rejected = new TransferLog(store).list({ limit: 10 }).find((t) => t.status === 'rejected' && t.peerAeTitle === 'STRANGER');
    assert.ok(rejected, 'the rejection is in the transfers log');
    assert.equal(rejected.errorCode, 'network-peer-rejected');
  });

  test('malformed PDUs close the connection and the receiver keeps serving', async () => {
    const http = await rawSession(new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n\r\n'), 5_000);
    assert.ok(http.closedByServer, 'a non-DICOM request is dropped');
    const dataFirst = await rawSession(new Uint8Array([0x04, 0x00, 0xff, 0xff, 0xff, 0xff, 1, 2, 3]), 5_000);
    assert.ok(dataFirst.closedByServer, 'P-DATA before an association is dropped');
    const garbage = new Uint8Array(74);
    garbage.set([0x01, 0x00, 0x00, 0x00, 0x00, 68]);
    garbage.fill(0xee, 6);
    const badRequest = await rawSession(garbage, 5_000);
    assert.ok(badRequest.closedByServer, 'an unparseable A-ASSOCIATE-RQ is dropped');
    const run = await echoscu();
    assert.equal(run.status, 0, 'echoscu still works afterwards');
  });

  test('an association that stalls times out with a logged error', async () => {
    const started = Date.now();
    const silent = await rawSession(null, 8_000);
    assert.ok(silent.closedByServer, 'a silent connection is closed by the receiver');
    assert.ok(Date.now() - started < 6_000, 'within the association timeout (plus the timer granularity)');

    const before = ingestCalls;
    const proxy = await cuttingProxy(400_000, 'freeze');
    const sender = runTool('storescu', ['-xy', '-aet', 'MODALITY', '-aec', 'ANGIO_TEST', '-to', '10', '-ta', '10', '-td', '10', LOOPBACK, String(proxy.port), CINE], 30_000);
    await until(() => new TransferLog(store).list({ limit: 3 }).some((t) => t.errorCode === 'network-timeout'), 10_000, 'the stalled transfer to time out');
    for (const socket of proxy.sockets) socket.destroy();
    proxy.server.close();
    await sender;
    assert.equal(ingestCalls, before, 'the half-received cine never reached ingest');
    await until(() => incomingLeftovers().length === 0, 5_000, 'the partial file to be deleted');
    assert.equal((await echoscu()).status, 0, 'echoscu still works afterwards');
  });

  test('a sender that disconnects mid-transfer leaves no partial instance', async () => {
    const before = ingestCalls;
    const proxy = await cuttingProxy(600_000, 'cut');
    const run = await runTool('storescu', ['-xy', '-aet', 'MODALITY', '-aec', 'ANGIO_TEST', '-to', '10', LOOPBACK, String(proxy.port), CINE], 30_000);
    proxy.server.close();
    assert.notEqual(run.status, 0, 'storescu notices the cut');
    await until(() => new TransferLog(store).list({ limit: 3 }).some((t) => t.errorCode === 'network-disconnected'), 5_000, 'the disconnect to be logged');
    assert.equal(ingestCalls, before, 'the partial cine never reached ingest');
    await until(() => incomingLeftovers().length === 0, 5_000, 'the partial file to be deleted');
    assert.equal((await echoscu()).status, 0, 'echoscu still works afterwards');
  });
});
