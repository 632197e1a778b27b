// Query/retrieve and sending against a real PACS on loopback: dcmtk's dcmqrscp with a temporary configuration and a
// database indexed by dcmqridx. Our C-FIND finds its studies, C-MOVE (to our receiver) and C-GET bring them back
// with identical pixel data, and our C-STORE SCU's report and capture land in its storage (checked with dcmdump).
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { StudyMatch } from '../../src-preload/channels/network.ts';
import { sharedDataDir } from '../app/paths.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import { openStore, type Store } from '../store/index.ts';
import { runPython } from '../testing/python-oracle.ts';
import type { IngestFile } from './ingest-port.ts';
import { NetworkService } from './service.ts';
import { freePort, LOOPBACK, pixelFacts, runTool } from './testing/dcmtk.ts';
import { startPacs, type Pacs } from './testing/pacs.ts';

const CINE = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');
const UNC = join(sharedDataDir(), 'dicom', 'xa', 'XA1_UNC.dcm');
const SC = join(sharedDataDir(), 'dicom', 'misc', 'SC_rgb.dcm');

let dir: string;
let store: Store;
let bus: EventBus;
let jobs: JobRunner;
let network: NetworkService;
let pacs: Pacs;
let pacsStorage: string;
let kept: string;
const ingested: string[] = [];

const ingestFile: IngestFile = async (path) => {
  const copy = join(kept, `${ingested.length}.dcm`);
  copyFileSync(path, copy);
  ingested.push(copy);
  return { status: 'imported' };
};

function finished(jobId: string, timeoutMs = 60_000): Promise<{ status: string; result?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`job ${jobId} did not finish in ${timeoutMs} ms`)), timeoutMs);
    const unsubscribe = bus.subscribe((event, payload) => {
      const p = payload as { jobId: string; status: string; result?: unknown; error?: { code: string; message: string } };
      if (event === 'job.finished' && p.jobId === jobId) {
        clearTimeout(timer);
        unsubscribe();
        resolve(p);
      }
    });
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-qr-'));
  kept = join(dir, 'kept');
  mkdirSync(kept);
  const ourPort = await freePort();
  pacs = await startPacs(dir, [CINE, UNC, SC], { aeTitle: 'ANGIO_QR', port: ourPort });
  pacsStorage = pacs.storage;
  const pacsPort = pacs.port;

  store = openStore(join(dir, 'data'));
  bus = new EventBus();
  jobs = new JobRunner(bus);
  network = new NetworkService({ store, dataDir: join(dir, 'data'), bus, jobs, ingestFile, log: () => undefined, timeoutsMs: { association: 5_000, pdu: 10_000 } });
  await network.updateSettings({ aeTitle: 'ANGIO_QR', bindAddress: LOOPBACK, port: ourPort, pacs: { aeTitle: 'PACS', host: LOOPBACK, port: pacsPort }, receiverEnabled: true });
});

after(async () => {
  await jobs?.drain();
  await network?.close();
  await pacs?.stop();
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('query/retrieve against dcmqrscp', () => {
  let studies: StudyMatch[] = [];
  const originals = pixelFactsOnce();

  test('C-ECHO to the PACS succeeds', async () => {
    const { milliseconds } = await network.echo({ pacs: true });
    assert.ok(milliseconds >= 0);
  });

  test('study-level C-FIND finds every study the PACS holds, streaming matches as events', async () => {
    const streamed: string[] = [];
    const unsubscribe = bus.subscribe((event, payload) => {
      if (event === 'network.queryMatch') streamed.push((payload as { study: StudyMatch }).study.studyInstanceUid);
    });
    const { jobId, transferId } = network.startQuery({});
    const end = await finished(jobId);
    unsubscribe();
    assert.equal(end.status, 'succeeded', JSON.stringify(end.error));
    studies = (end.result as { studies: StudyMatch[] }).studies;
    const expected = new Set(originals().map((f) => f.studyInstanceUid));
    assert.deepEqual(new Set(studies.map((s) => s.studyInstanceUid)), expected);
    assert.deepEqual(new Set(streamed), expected);
    assert.equal(network.transfers.get(transferId)?.status, 'succeeded');

    const narrowed = network.startQuery({ studyInstanceUid: originals()[0]!.studyInstanceUid });
    const one = await finished(narrowed.jobId);
    assert.equal((one.result as { studies: StudyMatch[] }).studies.length, 1);
  });

  test('C-MOVE brings the cine to our receiver with identical pixel data', async () => {
    const cine = originals().find((f) => f.file === CINE)!;
    const before = ingested.length;
    const { jobId, transferId } = network.startRetrieve([cine.studyInstanceUid], 'move');
    const end = await finished(jobId);
    assert.equal(end.status, 'succeeded', JSON.stringify(end.error));
    const arrived = pixelFacts(ingested.slice(before));
    const copy = arrived.find((f) => f.sopInstanceUid === cine.sopInstanceUid);
    assert.ok(copy, 'the cine arrived');
    assert.equal(copy.pixelSha256, cine.pixelSha256);
    const transfer = network.transfers.get(transferId)!;
    assert.equal(transfer.status, 'succeeded');
    assert.ok(transfer.done >= 1);
  });

  test('C-GET brings a study back on the same association with identical pixel data', async () => {
    const sc = originals().find((f) => f.file === SC)!;
    const before = ingested.length;
    const { jobId } = network.startRetrieve([sc.studyInstanceUid], 'get');
    const end = await finished(jobId);
    assert.equal(end.status, 'succeeded', JSON.stringify(end.error));
    const arrived = pixelFacts(ingested.slice(before));
    const copy = arrived.find((f) => f.sopInstanceUid === sc.sopInstanceUid);
    assert.ok(copy, 'the capture arrived');
    assert.equal(copy.pixelSha256, sc.pixelSha256);
  });

  test('our C-STORE SCU sends a structured report and a secondary capture into the PACS storage', async () => {
    const exports = join(dir, 'data', 'exports');
    mkdirSync(exports, { recursive: true });
    const report = join(exports, 'report.dcm');
    const reportUid = runPython<string>(
      `
import json, sys
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid
path = json.load(sys.stdin)
meta = FileMetaDataset()
meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.88.11'
meta.MediaStorageSOPInstanceUID = generate_uid()
meta.TransferSyntaxUID = ExplicitVRLittleEndian
ds = Dataset()
ds.file_meta = meta
ds.SOPClassUID = meta.MediaStorageSOPClassUID
ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
ds.StudyInstanceUID = generate_uid()
ds.SeriesInstanceUID = generate_uid()
ds.PatientID = 'ANON1'
ds.PatientName = 'Anonymous'
ds.Modality = 'SR'
ds.ValueType = 'CONTAINER'
ds.ContinuityOfContent = 'SEPARATE'
ds.CompletionFlag = 'COMPLETE'
ds.VerificationFlag = 'UNVERIFIED'
ds.is_little_endian = True
ds.is_implicit_VR = False
ds.save_as(path, write_like_original=False)
print(json.dumps(str(ds.SOPInstanceUID)))
`,
      report,
    );
    const capture = join(exports, 'capture.dcm');
    copyFileSync(SC, capture);
    const { jobId, transferId } = network.startSend([report, capture]);
    const end = await finished(jobId);
    assert.equal(end.status, 'succeeded', JSON.stringify(end.error));
    assert.equal((end.result as { sent: number }).sent, 2);
    assert.equal(network.transfers.get(transferId)?.status, 'succeeded');
    const stored = readdirSync(pacsStorage).filter((f) => !f.startsWith('held') && f !== 'index.dat');
    const dumps = await Promise.all(stored.map((f) => runTool('dcmdump', ['+P', '0008,0018', join(pacsStorage, f)], 20_000)));
    const uids = dumps.map((d) => d.stdout);
    assert.ok(uids.some((u) => u.includes(reportUid)), 'the report is in the PACS storage');
    assert.ok(uids.some((u) => u.includes(originals().find((f) => f.file === SC)!.sopInstanceUid)), 'the capture is in the PACS storage');
  });

  test('files that are not reports or captures are refused before anything is sent', () => {
    assert.throws(() => network.startSend([CINE]), { code: 'network-send-class' });
  });
});

/** The originals' facts plus their study UIDs (pydicom), read once. */
function pixelFactsOnce(): () => (ReturnType<typeof pixelFacts>[number] & { studyInstanceUid: string })[] {
  let cached: (ReturnType<typeof pixelFacts>[number] & { studyInstanceUid: string })[] | null = null;
  return () => {
    if (!cached) {
      const facts = pixelFacts([CINE, UNC, SC]);
      const studies = runPython<string[]>(
        'import json, sys, pydicom\nprint(json.dumps([str(pydicom.dcmread(f, stop_before_pixels=True).StudyInstanceUID) for f in json.load(sys.stdin)]))',
        [CINE, UNC, SC],
      );
      cached = facts.map((f, i) => ({ ...f, studyInstanceUid: studies[i] as string }));
    }
    return cached;
  };
}
