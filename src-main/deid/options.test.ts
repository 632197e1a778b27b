// The de-identification options are a catalog setting, recorded with each import and in every stored copy's
// (0012,0064); turning on Retain Patient Characteristics and Clean Descriptors keeps what they name (descriptors
// cleaned of the object's own identifying words) and nothing else. pydicom writes the source and reads the copy.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { IngestService } from '../ingest/service.ts';
import { openStore, type Store } from '../store/database.ts';
import { markersIn } from './testing/probe.ts';
import { writeXa } from './testing/small-xa.ts';

let dir: string;
let source: string;
let store: Store;
let service: IngestService;

const copies = (): string[] => (store.db.prepare('SELECT blob_sha256 AS sha FROM instances ORDER BY id').all() as { sha: string }[]).map((r) => service.blobs.pathOf(r.sha));

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'angio-deid-options-'));
  source = mkdtempSync(join(tmpdir(), 'angio-deid-options-src-'));
  store = openStore(dir);
  service = new IngestService({ store, dataDir: dir });
});

after(() => {
  service.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(source, { recursive: true, force: true });
});

const progress = { progress: () => {}, throwIfCancelled: () => {} };

test('a new catalog applies the basic profile with modified dates and records it', async () => {
  assert.deepEqual(service.deidOptions(), { retainLongitudinalModifiedDates: true, retainPatientCharacteristics: false, cleanDescriptors: false, cleanPixelData: false });
  writeXa(join(source, 'first'), '1.2.826.0.1.3680043.9.7771');
  await service.runImport('first', { root: join(source, 'first') }, progress);
  const { top, codes } = markersIn(copies()[0] as string, []);
  assert.deepEqual(codes, ['113100', '113107']);
  for (const tag of ['00100040', '00101010', '00101030', '00081030']) assert.ok(!top[tag], `${tag} is not kept by default (${top[tag]})`);
  assert.equal(top['00100040'], '', "Patient's Sex is emptied (Z)");
});

test('with patient characteristics and clean descriptors on, they are kept, cleaned, coded and audited', async () => {
  service.setDeidOptions({ retainPatientCharacteristics: true, cleanDescriptors: true }, 'dr-test');
  writeXa(join(source, 'second'), '1.2.826.0.1.3680043.9.7772');
  await service.runImport('second', { root: join(source, 'second') }, progress);
  const { top, codes } = markersIn(copies()[1] as string, []);
  assert.deepEqual(codes, ['113100', '113105', '113107', '113108']);
  assert.equal(top['00100040'], 'M');
  assert.equal(top['00101010'], '061Y');
  assert.equal(top['00101030'], '82');
  const description = top['00081030'] ?? '';
  assert.match(description, /^Coronary angio /, 'the descriptor is kept');
  for (const word of ['Johnathan', 'Doe', 'MRN4455667']) assert.ok(!description.includes(word), `"${word}" is cleaned from "${description}"`);
  assert.equal(top['00080030'] ?? '', '', 'times of day still follow the basic profile');
  const start = store.db.prepare("SELECT detail FROM audit_log WHERE action = 'import.start' ORDER BY id DESC").get() as { detail: string };
  assert.equal(JSON.parse(start.detail).deid.cleanDescriptors, true, 'the import records the options it applied');
  assert.ok(store.db.prepare("SELECT 1 FROM audit_log WHERE action = 'deid.options' AND reader = 'dr-test'").get(), 'changing them is audited');
});
