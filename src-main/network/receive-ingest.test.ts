// Received instances take ingest's path: storescu sends to the receiver of a NetworkService wired to the real
// IngestService; the library then holds de-identified instances whose decoded frames equal the originals'.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { readDicom } from '../dicom/dataset.ts';
import { decodeFrame, describeImage } from '../dicom/image.ts';
import { IngestService } from '../ingest/service.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import { openStore } from '../store/index.ts';
import { ingestThroughService } from './ingest-adapter.ts';
import { NetworkService } from './service.ts';
import { freePort, LOOPBACK, runTool } from './testing/dcmtk.ts';

const dir = mkdtempSync(join(tmpdir(), 'angio-receive-ingest-'));
const dataDir = join(dir, 'data');
const store = openStore(dataDir);
const bus = new EventBus();
const jobs = new JobRunner(bus);
const ingest = new IngestService({ store, dataDir, bus, jobs });
const network = new NetworkService({ store, dataDir, bus, jobs, ingestFile: ingestThroughService(ingest, join(dataDir, 'staging')), log: () => undefined });

after(async () => {
  await network.close();
  ingest.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function decoded(bytes: Uint8Array): Promise<number[]> {
  const parsed = readDicom(bytes, 'x');
  const frame = await decodeFrame(parsed, describeImage(parsed, 'x'), 0, 'x');
  return Array.from(frame.pixels as ArrayLike<number>);
}

test('instances received over DICOM are ingested, de-identified, deduplicated and decode like the originals', async () => {
  assert.equal(network.receiverStatus().running, false, 'the receiver is off by default');
  assert.equal(network.settings().bindAddress, '127.0.0.1', 'and binds to loopback by default');
  const port = await freePort();
  await network.updateSettings({ port, aeTitle: 'ANGIO_IN', allowedPeers: [{ aeTitle: 'CATHLAB', host: null, description: '' }], receiverEnabled: true });
  const files = [join(sharedDataDir(), 'dicom', 'xa', 'XA1_UNC.dcm'), join(sharedDataDir(), 'dicom', 'misc', 'SC_rgb.dcm')];
  for (let round = 0; round < 2; round++) {
    const run = await runTool('storescu', ['-aet', 'CATHLAB', '-aec', 'ANGIO_IN', '-to', '10', LOOPBACK, String(port), ...files], 60_000);
    assert.equal(run.status, 0, run.stderr);
  }
  const patients = ingest.patients();
  assert.equal(patients.length, 2, 'one patient per file, the second round deduplicated');
  const instances = patients.flatMap((p) => ingest.studies(p.id)).flatMap((s) => ingest.series(s.id)).flatMap((se) => ingest.instances(se.id));
  assert.equal(instances.length, 2);
  const originals = await Promise.all(files.map((f) => decoded(readFileSync(f))));
  for (const instance of instances) {
    const { frame } = await ingest.frame(instance.id, 0);
    const ours = Array.from(frame.pixels as ArrayLike<number>);
    assert.ok(originals.some((o) => o.length === ours.length && o.every((v, i) => v === ours[i])), `instance ${instance.id} decodes to an original's pixels`);
  }
  const transfers = network.listTransfers({ limit: 10, direction: 'incoming' }).filter((t) => t.kind === 'receive');
  assert.equal(transfers.length, 2);
  assert.ok(transfers.every((t) => t.status === 'succeeded' && t.done === 2));
  const audit = store.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import'").get() as { n: number };
  assert.equal(audit.n, 2, 'each imported instance is audited');
});
