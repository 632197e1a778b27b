// Angiography facts through the real import: overlay planes become separate layers, the ECG, shutters and frame
// time vector are kept, the Burned In Annotation flag decides review, and a resent object (same SOP Instance UID,
// other bytes) is a duplicate. Fixtures are built at test time; every expected value is read back by pydicom.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { readDicom } from '../dicom/dataset.ts';
import { readAngioMetadata, type Shutter } from '../dicom/angio-metadata.ts';
import { keyFileHolder } from '../deid/index.ts';
import { sha256Hex } from '../store/blobs.ts';
import { openStore, type Store } from '../store/database.ts';
import { runPython } from '../testing/python-oracle.ts';
import { ViewerService } from '../viewer/service.ts';
import { IngestService } from './service.ts';
import { writeAngioFixtures, type AngioFixtures } from './testing/angio-fixtures.ts';

interface OracleOverlay { group: number; rows: number; columns: number; origin: [number, number]; type: string; bits: number[] }
interface OracleFile {
  sop: string;
  burnedIn: string | null;
  photometric: string;
  frames: number;
  overlays: OracleOverlay[];
  ecg: { channels: number; samples: number; frequency: number; data: number[] } | null;
  shutter: Shutter | null;
  collimator: Shutter | null;
  frameTimeVector: number[] | null;
  frameTimes: number[] | null;
}

/** What pydicom reads from each fixture: the expected values, never pasted. Overlay bits are the first frame's. */
function pydicomFacts(paths: Record<string, string>): Record<string, OracleFile> {
  return runPython<Record<string, OracleFile>>(
    `
import json, sys, numpy as np, pydicom
def shutter(ds, shape, left, right, upper, lower, center, radius, vertices):
    if shape not in ds: return None
    shapes = list(ds[shape].value) if ds[shape].VM > 1 else [ds[shape].value]
    out = {'shapes': shapes}
    if 'RECTANGULAR' in shapes:
        out['rectangular'] = {'left': int(ds[left].value), 'right': int(ds[right].value), 'upper': int(ds[upper].value), 'lower': int(ds[lower].value)}
    if 'CIRCULAR' in shapes:
        out['circular'] = {'centerRow': int(ds[center].value[0]), 'centerColumn': int(ds[center].value[1]), 'radius': int(ds[radius].value)}
    if 'POLYGONAL' in shapes:
        out['polygonal'] = [int(v) for v in ds[vertices].value]
    return out
def facts(path):
    ds = pydicom.dcmread(path)
    overlays = []
    for group in range(0x6000, 0x6020, 2):
        if (group << 16 | 0x3000) not in ds: continue
        bits = ds.overlay_array(group)
        if bits.ndim == 3: bits = bits[0]
        overlays.append({'group': group, 'rows': int(bits.shape[0]), 'columns': int(bits.shape[1]),
                         'origin': [int(v) for v in ds[group << 16 | 0x0050].value], 'type': str(ds[group << 16 | 0x0040].value),
                         'bits': bits.astype(int).reshape(-1).tolist()})
    ecg = None
    if 'WaveformSequence' in ds:
        group = next(g for g in ds.WaveformSequence if g.get('MultiplexGroupLabel') == 'ECG')
        data = np.frombuffer(group.WaveformData, dtype='<i2')
        ecg = {'channels': int(group.NumberOfWaveformChannels), 'samples': int(group.NumberOfWaveformSamples),
               'frequency': float(group.SamplingFrequency), 'data': data.astype(int).tolist()}
    vector = [float(v) for v in ds.FrameTimeVector] if 'FrameTimeVector' in ds else None
    return {
        'sop': str(ds.SOPInstanceUID), 'burnedIn': ds.get('BurnedInAnnotation'), 'photometric': str(ds.PhotometricInterpretation),
        'frames': int(ds.get('NumberOfFrames', 1) or 1), 'overlays': overlays, 'ecg': ecg,
        'shutter': shutter(ds, 'ShutterShape', 'ShutterLeftVerticalEdge', 'ShutterRightVerticalEdge', 'ShutterUpperHorizontalEdge',
                           'ShutterLowerHorizontalEdge', 'CenterOfCircularShutter', 'RadiusOfCircularShutter', 'VerticesOfThePolygonalShutter'),
        'collimator': shutter(ds, 'CollimatorShape', 'CollimatorLeftVerticalEdge', 'CollimatorRightVerticalEdge', 'CollimatorUpperHorizontalEdge',
                              'CollimatorLowerHorizontalEdge', 'CenterOfCircularCollimator', 'RadiusOfCircularCollimator', 'VerticesOfThePolygonalCollimator'),
        'frameTimeVector': vector,
        'frameTimes': np.cumsum(vector).tolist() if vector else None,
    }
print(json.dumps({name: facts(path) for name, path in json.load(sys.stdin).items()}))
`,
    paths,
  );
}

/** Whether the stored (de-identified) copies still hold overlay data (60xx,3000), as pydicom reads them. */
function pydicomHasOverlayData(path: string): boolean {
  return runPython<boolean>(
    `
import json, sys, pydicom
ds = pydicom.dcmread(json.load(sys.stdin))
print(json.dumps(any((group << 16 | 0x3000) in ds for group in range(0x6000, 0x6100, 2))))
`,
    path,
  );
}

let fixtures: AngioFixtures;
let dataDir: string;
let store: Store;
let service: IngestService;
let viewer: ViewerService;
let oracle: Record<string, OracleFile>;
const noProgress = { progress: () => {}, throwIfCancelled: () => {} };

interface StoredInstance { id: number; burnedIn: string; needsReview: number; photometric: string; frames: number; blobSha: string; angio: Record<string, unknown> }

/** The catalogued instance imported from one fixture (found by the source file's content hash). */
function stored(path: string): StoredInstance {
  const row = store.db
    .prepare('SELECT id, burned_in AS burnedIn, needs_review AS needsReview, photometric, frames, blob_sha256 AS blobSha, angio_json FROM instances WHERE source_sha256 = ?')
    .get(sha256Hex(readFileSync(path))) as (Omit<StoredInstance, 'angio'> & { angio_json: string }) | undefined;
  assert.ok(row, `${path} was imported`);
  return { id: row.id, burnedIn: row.burnedIn, needsReview: row.needsReview, photometric: row.photometric, frames: row.frames, blobSha: row.blobSha, angio: JSON.parse(row.angio_json) };
}

before(async () => {
  fixtures = writeAngioFixtures();
  oracle = pydicomFacts(fixtures.files);
  dataDir = mkdtempSync(join(tmpdir(), 'angio-ingest-angio-'));
  store = openStore(dataDir);
  service = new IngestService({ store, dataDir });
  viewer = new ViewerService({ store, dataDir });
  const counts = await service.runImport('job-1', { root: fixtures.importDir, datasetFrames: 'none' }, noProgress);
  assert.equal(counts.imported, 3, JSON.stringify(service.importLog('job-1', null)));
});

after(() => {
  service.close();
  store.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(fixtures.dir, { recursive: true, force: true });
});

test('overlay planes are stored as separate layers holding the bits pydicom reads, and not in the stored copy', () => {
  const expected = oracle.run?.overlays ?? [];
  assert.deepEqual(expected.map((o) => o.group), [0x6000, 0x6002], 'the fixture carries two overlay planes');
  const instance = stored(fixtures.files.run);
  const layers = viewer.context(instance.id).overlays;
  assert.deepEqual(
    layers,
    expected.map((o) => ({ group: o.group, rows: o.rows, columns: o.columns, originRow: o.origin[0], originColumn: o.origin[1] })),
    'one layer per plane, with its size and origin',
  );
  for (const plane of expected) {
    const layer = viewer.overlay(instance.id, plane.group);
    assert.deepEqual([layer.height, layer.width], [plane.rows, plane.columns]);
    const bits = Array.from(layer.pixels, (v): number => (v ? 1 : 0));
    const differing = bits.reduce((n, bit, i) => n + (bit === plane.bits[i] ? 0 : 1), 0);
    assert.equal(differing, 0, `overlay ${plane.group.toString(16)}: ${differing} of ${bits.length} bits differ from pydicom's overlay_array`);
  }
  const overlays = instance.angio.overlays as { group: number; type: string }[];
  assert.deepEqual(overlays.map((o) => [o.group, o.type]), expected.map((o) => [o.group, o.type]), 'overlay types are kept');
  // Overlays can carry names and dates drawn as graphics: the de-identified copy drops the data, the layers keep it.
  assert.equal(pydicomHasOverlayData(service.blobs.pathOf(instance.blobSha)), false, 'the stored copy has no overlay data');
});

test('overlay planes are served from the vault only: no blob outside it holds their bits, and a locked vault serves none', () => {
  const instance = stored(fixtures.files.run);
  const layers = store.db.prepare('SELECT overlay_group AS "group", blob_sha256 AS sha FROM overlay_layers WHERE instance_id = ?').all(instance.id) as { group: number; sha: string }[];
  assert.equal(layers.length, 2);
  const outside = filesUnder(dataDir).filter((file) => !relative(dataDir, file).startsWith('vault'));
  for (const layer of layers) {
    // The PNG the viewer decodes, found by its digest (no blob has it) and by its bytes (no file outside the vault has them).
    assert.equal(service.blobs.has(layer.sha), false, `overlay ${layer.group.toString(16)} is not in the blob store`);
    const png = service.vaultOriginals().read(layer.sha);
    assert.equal(sha256Hex(png), layer.sha, 'the vault holds the plane under its digest');
    const holding = outside.filter((file) => readFileSync(file).includes(Buffer.from(png)));
    assert.deepEqual(holding, [], `overlay ${layer.group.toString(16)} bytes outside the vault`);
  }
  const otherKey = join(mkdtempSync(join(tmpdir(), 'angio-other-key-')), 'other.key');
  const locked = new ViewerService({ store, dataDir, vaultKeyHolder: keyFileHolder(otherKey) });
  assert.throws(() => locked.overlay(instance.id, 0x6000), (error: unknown) => (error as { code?: string }).code === 'vault-locked');
});

function filesUnder(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as { name: string; parentPath: string; isFile(): boolean }[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

test('the ECG waveform (5400,0100), not the pressure trace before it, keeps its channels, sampling rate and every sample', () => {
  const expected = oracle.run?.ecg;
  assert.ok(expected, 'the fixture carries an ECG');
  const instance = stored(fixtures.files.run);
  assert.deepEqual(instance.angio.ecg, { channels: expected.channels, samples: expected.samples, samplingFrequency: expected.frequency });
  // The viewer reads the waveform back from the stored copy: all samples of both (signed) channels survive.
  const waveform = readAngioMetadata(readDicom(service.blobs.read(instance.blobSha), 'stored run').dataSet).ecg;
  assert.ok(waveform);
  assert.deepEqual(Array.from(waveform.data), expected.data);
  assert.ok(expected.data.some((v) => v < 0), 'the fixture has negative samples');
  const trace = viewer.ecg(instance.id);
  assert.ok(trace);
  assert.deepEqual(trace.samples, expected.data.filter((_, i) => i % expected.channels === 0), 'the trace is the first channel');
  assert.equal(trace.durationSeconds, expected.samples / expected.frequency);
  assert.equal(viewer.ecg(stored(fixtures.files.voiLut).id), null, 'an image without a waveform has no trace');
});

test('display shutters are stored as recorded; without them the X-ray collimator is the shutter', () => {
  const run = oracle.run;
  assert.ok(run?.shutter);
  assert.deepEqual(run.shutter.shapes, ['RECTANGULAR', 'CIRCULAR', 'POLYGONAL']);
  assert.deepEqual(stored(fixtures.files.run).angio.shutter, run.shutter);
  const windowed = oracle.window;
  assert.ok(windowed?.collimator && !windowed.shutter, 'the windowed fixture has a collimator and no display shutter');
  assert.deepEqual(stored(fixtures.files.window).angio.shutter, windowed.collimator);
  assert.equal(stored(fixtures.files.voiLut).angio.shutter, null, 'no shutter, no collimator: nothing masked');
});

test('the frame time vector (0018,1065) gives each frame its time', () => {
  const run = oracle.run;
  assert.ok(run?.frameTimeVector && run.frameTimes);
  const instance = stored(fixtures.files.run);
  assert.equal(instance.frames, run.frames);
  assert.deepEqual(instance.angio.frameTimeVectorMs, run.frameTimeVector);
  assert.equal(instance.angio.frameTimeMs, null, 'the run has no single frame time');
  const times = service.instance(instance.id).frameTimesMs;
  assert.equal(times.length, run.frames);
  for (let i = 0; i < run.frames; i++) {
    assert.ok(Math.abs((times[i] as number) - (run.frameTimes[i] as number)) < 1e-9, `frame ${i} at ${times[i]} ms; the vector's running sum is ${run.frameTimes[i]} ms`);
  }
});

test('Burned In Annotation: YES, or overlays that may hold text, flag the image for review; NO alone does not', () => {
  const cases = [
    { file: fixtures.files.run, oracle: oracle.run, review: 1, why: 'NO, but overlay planes' },
    { file: fixtures.files.voiLut, oracle: oracle.voiLut, review: 0, why: 'NO and nothing drawn over it' },
    { file: fixtures.files.window, oracle: oracle.window, review: 1, why: 'YES' },
  ];
  for (const { file, oracle: expected, review, why } of cases) {
    const instance = stored(file);
    assert.equal(instance.burnedIn, expected?.burnedIn, `${relative(fixtures.dir, file)}: burned-in flag as recorded`);
    assert.equal(instance.angio.burnedInAnnotation, expected?.burnedIn);
    assert.equal(instance.needsReview, review, `${relative(fixtures.dir, file)} (${why})`);
  }
});

test('a second file with the same SOP Instance UID but other bytes is reported as a duplicate, not imported twice', async () => {
  assert.equal(oracle.resent?.sop, oracle.voiLut?.sop, 'the resent file keeps the SOP Instance UID');
  const original = readFileSync(fixtures.files.voiLut);
  const resent = readFileSync(fixtures.files.resent);
  assert.notEqual(sha256Hex(resent), sha256Hex(original), 'the resent file differs in its bytes');
  const instancesBefore = store.db.prepare('SELECT id, source_sha256 AS sha FROM instances ORDER BY id').all();
  const blobsBefore = readdirSync(join(dataDir, 'blobs'), { recursive: true }).length;
  const counts = await service.runImport('job-2', { root: fixtures.resentDir }, noProgress);
  assert.equal(counts.imported, 0);
  assert.equal(counts.duplicate, 1);
  assert.deepEqual(
    service.importLog('job-2', null).map((e) => ({ path: e.path, outcome: e.outcome, reason: e.reason })),
    [{ path: 'mono1-voi-lut.dcm', outcome: 'duplicate', reason: 'same SOP Instance UID already imported' }],
  );
  assert.deepEqual(store.db.prepare('SELECT id, source_sha256 AS sha FROM instances ORDER BY id').all(), instancesBefore, 'the catalogue is unchanged');
  assert.equal(readdirSync(join(dataDir, 'blobs'), { recursive: true }).length, blobsBefore, 'nothing of the duplicate is stored');
});
