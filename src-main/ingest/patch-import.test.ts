// P-ADSD patch import: labels and source splits from the folder layout, the optional manifest (with path traversal
// refused), "no patient id" flags, and crash safety: kill -9 mid-import, re-run, and the store is whole.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from '../app/paths.ts';
import { openStore } from '../store/database.ts';
import { parseManifest } from './patch-import.ts';
import { IngestService } from './service.ts';

const labeled = join(sharedDataDir(), 'p-adsd', 'labeled');
const quiet = { progress: () => {}, throwIfCancelled: () => {} };
const countFiles = (dir: string): number => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;

function fresh(): { dir: string; store: ReturnType<typeof openStore>; service: IngestService; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'angio-patches-'));
  const store = openStore(dir);
  const service = new IngestService({ store, dataDir: dir });
  return { dir, store, service, done: () => (service.close(), store.close(), rmSync(dir, { recursive: true, force: true })) };
}

test('the P-ADSD layout imports with labels and source splits, flagged "no patient id"', async () => {
  const { store, service, done } = fresh();
  const counts = await service.runImport('p', { root: labeled }, quiet);
  assert.equal(counts.imported, countFiles(labeled));
  const bySplit = store.db
    .prepare('SELECT d.source_split AS split, l.name AS label, count(*) AS n FROM dataset_items d JOIN labels l ON l.id = d.label_id GROUP BY 1, 2 ORDER BY 1, 2')
    .all()
    .map((r) => ({ ...r }));
  const expected = ['test', 'train', 'val'].flatMap((split) =>
    ['negative', 'positive'].map((label) => ({ split, label, n: countFiles(join(labeled, split, label)) })),
  );
  assert.deepEqual(bySplit, expected);
  const flagged = store.db.prepare("SELECT count(*) AS n FROM dataset_items WHERE flags = 'no patient id' AND patient_id IS NULL").get() as { n: number };
  assert.equal(flagged.n, counts.imported);
  const again = await service.runImport('p2', { root: labeled }, quiet);
  assert.equal(again.imported, 0, 're-import is a no-op');
  assert.equal(again.duplicate, counts.imported);
  const page = service.datasetItems({ label: 'positive', split: 'test', limit: 5, offset: 0 });
  assert.equal(page.total, countFiles(join(labeled, 'test', 'positive')));
  const thumb = await service.thumbnail({ itemId: page.items[0]?.id as number }, 32);
  assert.ok(thumb.width <= 32 && thumb.height <= 32 && thumb.pixels.length === thumb.width * thumb.height);
  done();
});

test('a manifest supplies patients, studies, labels and splits; paths leaving the folder are refused', async () => {
  const { store, service, dir, done } = fresh();
  const folder = join(dir, 'drop');
  mkdirSync(join(folder, 'a'), { recursive: true });
  const sources = readdirSync(join(labeled, 'train', 'positive')).slice(0, 3);
  sources.forEach((name, i) => cpSync(join(labeled, 'train', 'positive', name), join(folder, 'a', `p${i}.png`)));
  writeFileSync(join(folder, 'manifest.csv'), 'path,patient_id,label,study_id,split\na/p0.png,PAT-1,stenosis,S1,test\na/p1.png,PAT-1,normal,S1,train\na/p2.png,,normal,,\n');
  await service.runImport('m', { root: folder }, quiet);
  const rows = store.db
    .prepare('SELECT d.source_name AS name, l.name AS label, d.source_split AS split, d.patient_id IS NOT NULL AS hasPatient, d.study_id IS NOT NULL AS hasStudy, d.flags FROM dataset_items d LEFT JOIN labels l ON l.id = d.label_id')
    .all()
    // Items are named by pseudonymous file ids (a patch's name can carry the patient's); the vault has the paths.
    .map((r) => ({ ...r, name: service.sourcePathOf(String(r.name)) }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  assert.deepEqual(rows, [
    { name: 'a/p0.png', label: 'stenosis', split: 'test', hasPatient: 1, hasStudy: 1, flags: '' },
    { name: 'a/p1.png', label: 'normal', split: 'train', hasPatient: 1, hasStudy: 1, flags: '' },
    { name: 'a/p2.png', label: 'normal', split: null, hasPatient: 0, hasStudy: 0, flags: 'no patient id' },
  ]);
  const patients = service.patients();
  assert.equal(patients.length, 1, 'PAT-1 becomes one pseudonymised patient');
  assert.ok(!patients[0]?.pseudonym.includes('PAT-1'));
  assert.throws(() => parseManifest('path,patient_id\n../../etc/passwd,X\n'), /outside the imported folder/);
  assert.throws(() => parseManifest('path,patient_id\n/etc/passwd,X\n'), /outside the imported folder/);
  assert.throws(() => parseManifest('file,label\na.png,x\n'), /needs the columns path and patient_id/);
  done();
});

test('kill -9 in the middle of an import leaves a consistent store, and re-running finishes it', async () => {
  const { dir, done } = fresh();
  const child = spawn(process.execPath, [fileURLToPath(new URL('./testing/import-child.ts', import.meta.url)), dir, labeled], { stdio: ['ignore', 'pipe', 'inherit'] });
  let killedAt = -1;
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const done = Math.max(-1, ...[...chunk.toString().matchAll(/progress (\d+)/g)].map((m) => Number(m[1])));
      if (killedAt < 0 && done >= 400) {
        killedAt = done;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', () => resolve());
  });
  assert.ok(killedAt >= 400, 'the child was killed mid-import');
  const store = openStore(dir);
  assert.equal((store.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
  const partial = (store.db.prepare('SELECT count(*) AS n FROM dataset_items').get() as { n: number }).n;
  assert.ok(partial > 0 && partial < countFiles(labeled), `partial import: ${partial} items`);
  assert.equal(partial % 256, 0, 'whole batches only: no half-visible rows');
  const service = new IngestService({ store, dataDir: dir });
  for (const row of store.db.prepare('SELECT blob_sha256 AS sha FROM dataset_items').all() as { sha: string }[]) {
    assert.ok(service.blobs.has(row.sha), 'every catalogued item has its file');
  }
  const interrupted = store.db.prepare("SELECT status FROM import_jobs WHERE id = 'child-job'").get() as { status: string };
  assert.equal(interrupted.status, 'interrupted');
  const resumed = await service.runImport('resume', { root: labeled }, quiet);
  assert.equal(resumed.imported + resumed.duplicate, countFiles(labeled));
  assert.equal(resumed.duplicate, partial);
  assert.equal((store.db.prepare('SELECT count(*) AS n FROM dataset_items').get() as { n: number }).n, countFiles(labeled));
  service.close();
  store.close();
  done();
});
