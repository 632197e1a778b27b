// DICOMDIR media: a directory written by dcmmkdir (general-purpose profile with compressed images admitted), a copy
// as a lower-casing mount shows it (and an ISO 9660 ";1" suffix), and a copy with files gone or broken. Every
// readable file imports; missing and unreadable ones are reported without stopping the import.
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import dicomParser from 'dicom-parser';
import type { MediaImportResult } from '../../src-preload/channels/network.ts';
import { sharedDataDir } from '../app/paths.ts';
import { IngestService } from '../ingest/service.ts';
import { EventBus } from '../ipc/event-bus.ts';
import { JobRunner } from '../jobs/job-runner.ts';
import { ingestThroughService } from '../network/ingest-adapter.ts';
import type { IngestFile } from '../network/ingest-port.ts';
import { NetworkService } from '../network/service.ts';
import { runTool } from '../network/testing/dcmtk.ts';
import { openStore, type Store } from '../store/index.ts';
import { buildTree, MediaPathResolver, readDicomdir, scanMedia, selectInstances } from './index.ts';

const DICOM = join(sharedDataDir(), 'dicom');
const SOURCES: Record<string, string> = {
  IM0001: join(DICOM, 'xa', 'XA_cine_96f_jpeg_baseline.dcm'),
  IM0002: join(DICOM, 'xa', 'XA1_JPLL.dcm'),
  IM0003: join(DICOM, 'misc', 'SC_rgb.dcm'),
  IM0004: join(DICOM, 'misc', 'SC_rgb_jpeg_dcmtk.dcm'),
  IM0005: join(DICOM, 'misc', 'SC_ybr_full_uncompressed.dcm'),
};

let dir: string;
let written: string;
let lowercased: string;
let damaged: string;
const stores: Store[] = [];
const services: NetworkService[] = [];

function serviceWith(ingestFile: IngestFile | 'real'): { network: NetworkService; bus: EventBus; store: Store; ingest: IngestService | null } {
  const dataDir = mkdtempSync(join(dir, 'data-'));
  const store = openStore(dataDir);
  const bus = new EventBus();
  const jobs = new JobRunner(bus);
  const ingest = ingestFile === 'real' ? new IngestService({ store, dataDir, bus, jobs }) : null;
  const network = new NetworkService({
    store,
    dataDir,
    bus,
    jobs,
    ingestFile: ingest ? ingestThroughService(ingest, join(dataDir, 'staging')) : (ingestFile as IngestFile),
    log: () => undefined,
  });
  stores.push(store);
  services.push(network);
  return { network, bus, store, ingest };
}

function finished(bus: EventBus, jobId: string): Promise<{ status: string; result?: unknown; error?: unknown }> {
  return new Promise((resolve) => {
    const unsubscribe = bus.subscribe((event, payload) => {
      const p = payload as { jobId: string; status: string; result?: unknown };
      if (event === 'job.finished' && p.jobId === jobId) {
        unsubscribe();
        resolve(p);
      }
    });
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'angio-media-'));
  written = join(dir, 'written');
  mkdirSync(join(written, 'IMAGES'), { recursive: true });
  for (const [name, source] of Object.entries(SOURCES)) copyFileSync(source, join(written, 'IMAGES', name));
  // General Purpose CD-R profile, inventing missing type 1 attributes and admitting compressed syntaxes.
  const run = await runTool('dcmmkdir', ['+I', '-Pgp', '-Nxc', '-Nec', '-Nrc', '+r', '+D', join(written, 'DICOMDIR'), '+id', written, 'IMAGES'], 60_000);
  assert.equal(run.status, 0, `dcmmkdir failed: ${run.stderr}`);

  // As a lower-casing mount shows the disc: every name in lower case, one file with its ISO 9660 version suffix.
  lowercased = join(dir, 'lowercased');
  mkdirSync(join(lowercased, 'images'), { recursive: true });
  copyFileSync(join(written, 'DICOMDIR'), join(lowercased, 'dicomdir'));
  for (const name of Object.keys(SOURCES)) copyFileSync(join(written, 'IMAGES', name), join(lowercased, 'images', name.toLowerCase()));
  renameSync(join(lowercased, 'images', 'im0003'), join(lowercased, 'images', 'IM0003.;1'));

  // Two files gone, one overwritten with junk.
  damaged = join(dir, 'damaged');
  cpSync(written, damaged, { recursive: true });
  rmSync(join(damaged, 'IMAGES', 'IM0002'));
  rmSync(join(damaged, 'IMAGES', 'IM0005'));
  writeFileSync(join(damaged, 'IMAGES', 'IM0004'), new Uint8Array(4096).fill(0x5a));
});

after(async () => {
  for (const service of services) await service.close();
  for (const store of stores) store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('DICOMDIR media', () => {
  test('the contents of a dcmmkdir DICOMDIR show as patients, studies, series and instances', () => {
    const contents = scanMedia(written);
    assert.equal(contents.instanceCount, 5);
    assert.equal(contents.missingCount, 0);
    assert.deepEqual(contents.warnings, []);
    assert.deepEqual(contents.patients.map((p) => p.patientId).sort(), ['20XA1', '556342B', 'ID1']);
    const sc = contents.patients.find((p) => p.patientId === 'ID1')!;
    assert.equal(sc.studies.flatMap((s) => s.series.flatMap((se) => se.instances)).length, 3);
    const files = contents.patients.flatMap((p) => p.studies.flatMap((s) => s.series.flatMap((se) => se.instances.map((i) => i.fileId)))).sort();
    assert.deepEqual(files, Object.keys(SOURCES).map((name) => `IMAGES/${name}`));
    const cine = contents.patients.find((p) => p.patientId === '556342B')!.studies[0]!.series[0]!.instances[0]!;
    assert.equal(cine.transferSyntaxUid, '1.2.840.10008.1.2.4.50');
    assert.equal(cine.sopClassUid, '1.2.840.10008.5.1.4.1.1.12.1');
  });

  test('importing all of it hands every file, unchanged, to ingest', async () => {
    const seen: string[] = [];
    const { network, bus } = serviceWith(async (path) => {
      seen.push(readFileSync(path).toString('base64'));
      return { status: 'imported' };
    });
    const { jobId, transferId } = network.startMediaImport(written, { all: true });
    const end = await finished(bus, jobId);
    assert.equal(end.status, 'succeeded');
    assert.equal((end.result as MediaImportResult).imported, 5);
    const originals = Object.values(SOURCES).map((f) => readFileSync(f).toString('base64'));
    assert.deepEqual(new Set(seen), new Set(originals));
    assert.equal(network.transfers.get(transferId)?.status, 'succeeded');
  });

  test('a selection imports only what was ticked', async () => {
    const contents = scanMedia(written);
    const study = contents.patients.find((p) => p.patientId === 'ID1')!.studies[0]!;
    const picked = selectInstances(contents, { keys: [study.key] });
    assert.equal(picked.length, 3);
    const paths: string[] = [];
    const { network, bus } = serviceWith(async (path) => {
      paths.push(path);
      return { status: 'imported' };
    });
    const oneInstance = contents.patients.find((p) => p.patientId === '20XA1')!.studies[0]!.series[0]!.instances[0]!;
    const { jobId } = network.startMediaImport(written, { keys: [study.key, oneInstance.key] });
    const end = await finished(bus, jobId);
    assert.equal((end.result as MediaImportResult).imported, 4);
    assert.throws(() => selectInstances(contents, { keys: ['r999999'] }), { code: 'media-selection-stale' });
  });

  test('names in another case and ISO 9660 version suffixes are found', async () => {
    const contents = scanMedia(lowercased);
    assert.equal(contents.instanceCount, 5);
    assert.equal(contents.missingCount, 0, JSON.stringify(contents.warnings));
    const { network, bus } = serviceWith(async () => ({ status: 'imported' }));
    const end = await finished(bus, network.startMediaImport(join(lowercased, 'dicomdir'), { all: true }).jobId);
    assert.equal((end.result as MediaImportResult).imported, 5);
  });

  test('missing and unreadable files are reported, the rest imports through ingest (de-identified, deduplicated)', async () => {
    const contents = scanMedia(damaged);
    assert.equal(contents.missingCount, 2);
    const { network, bus, ingest } = serviceWith('real');
    const end = await finished(bus, network.startMediaImport(damaged, { all: true }).jobId);
    assert.equal(end.status, 'succeeded', JSON.stringify(end.error));
    const result = end.result as MediaImportResult;
    assert.equal(result.imported, 2, JSON.stringify(result.problems));
    assert.deepEqual(
      result.problems.map((p) => `${p.file} ${p.status}`).sort(),
      ['IMAGES/IM0002 missing', 'IMAGES/IM0004 rejected', 'IMAGES/IM0005 missing'],
    );
    const patients = ingest!.patients();
    assert.equal(patients.length, 2, 'two patients in the library');
    assert.ok(patients.every((p) => !['556342B', 'ID1'].includes((p as { pseudonym?: string }).pseudonym ?? '')), 'patients are pseudonymised');
    const again = await finished(bus, network.startMediaImport(damaged, { all: true }).jobId);
    assert.equal((again.result as MediaImportResult).duplicates, 2, 'a second import finds both already there');
  });

  test('a DICOMDIR whose offsets point nowhere is read in written order', () => {
    const bytes = new Uint8Array(readFileSync(join(written, 'DICOMDIR')));
    const ds = dicomParser.parseDicom(bytes);
    const root = ds.elements.x00041200!;
    new DataView(bytes.buffer).setUint32(root.dataOffset, 0x7fffff00, true);
    const contents = readDicomdir(bytes, 'broken DICOMDIR');
    assert.equal(contents.warnings.length, 1);
    const tree = buildTree(contents.records, () => '/x', []);
    assert.equal(tree.flatMap((p) => p.studies.flatMap((s) => s.series.flatMap((se) => se.instances))).length, 5);
  });

  test('records a vendor left out are filled in, and file IDs cannot climb out of the media', () => {
    const record = (offset: number, type: string, fileId: string[] = []) => ({ offset, type, fileId, values: {} });
    const warnings: string[] = [];
    const tree = buildTree([record(1, 'STUDY'), record(2, 'IMAGE', ['A']), record(3, 'IMAGE', ['B']), record(4, 'PATIENT'), record(5, 'SR DOCUMENT', ['C'])], () => null, warnings);
    assert.equal(tree.length, 2);
    assert.equal(tree[0]!.studies[0]!.series[0]!.instances.length, 2);
    assert.equal(tree[1]!.studies[0]!.series[0]!.instances[0]!.recordType, 'SR DOCUMENT');
    assert.equal(warnings.length, 1);
    const resolver = new MediaPathResolver(written);
    assert.equal(resolver.resolve(['..', 'damaged', 'IMAGES', 'IM0001']), null);
    assert.equal(resolver.resolve(['IMAGES/../IMAGES', 'IM0001']), null);
    assert.ok(resolver.resolve(['images', 'im0001']));
    assert.ok(readdirSync(written).includes('DICOMDIR'));
  });

  test('a folder without a DICOMDIR is a typed error', () => {
    assert.throws(() => scanMedia(join(written, 'IMAGES')), { code: 'media-no-dicomdir' });
  });
});
