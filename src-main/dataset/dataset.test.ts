// The dataset workflow on a real catalog: readers bound to the OS account, labels saved per action with audit rows,
// undo/redo that survives reopening the store, kappa over two readers with a senior's adjudication, and splits:
// built by patient (green), imported from the source, locked (the database refuses edits), turned red by a
// manifest that puts an existing patient's new images in another split, fixed in one click as a new version.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cohensKappa } from '../evaluation/index.ts';
import { TrainingConfigSchema } from '../training/config.ts';
import { insertRun, updateRun } from '../training/runs.ts';
import { uncertaintyOf } from './curation-query.ts';
import { DatasetService } from './service.ts';
import { itemIds, quietImport as quiet, testCatalog } from './testing/catalog.ts';
import { writePatchFolder, type PatchSpec } from './testing/patch-folders.ts';

test('labels are saved per action with reader and time, audited, and undo/redo survive a restart', async () => {
  const { dir, store, service, done } = await testCatalog(Array.from({ length: 6 }, (_, i) => ({ path: `pool/u${i}.png` })));
  const ana = service.addReader('Dr Ana', false);
  assert.throws(() => service.addReader('Dr Ana', true), /already exists/);
  const other = new DatasetService({ store, dataDir: dir, account: 'someone-else' });
  assert.deepEqual(other.readers().readers, [], 'profiles of another OS account are not listed');
  assert.throws(() => other.label(ana.id, [1], 'positive'), (e: Error & { code?: string }) => e.code === 'reader-unknown');

  const [a, b, c] = itemIds(store);
  const first = service.label(ana.id, [a!, b!], 'positive');
  assert.deepEqual(first.itemIds, [a, b]);
  assert.equal(first.counts.positive, 2);
  assert.equal(first.counts.unlabelled, 4);
  service.label(ana.id, [c!], 'exclude');
  const row = store.db.prepare('SELECT label, labelled_at FROM item_labels WHERE item_id = ? AND reader_id = ?').get(a!, ana.id) as { label: string; labelled_at: string };
  assert.equal(row.label, 'positive');
  assert.match(row.labelled_at, /^2025-01-01T/);
  const audits = store.db.prepare("SELECT reader, action FROM audit_log WHERE action LIKE 'label.%' ORDER BY id").all() as { reader: string; action: string }[];
  assert.deepEqual(audits.map((r) => `${r.action}:${r.reader}`), ['label.set:Dr Ana', 'label.set:Dr Ana']);

  const undone = service.undo(ana.id);
  assert.deepEqual(undone.itemIds, [c]);
  assert.equal(undone.counts.exclude, 0);
  assert.deepEqual(undone.history, { undo: 1, redo: 1 });
  // A fresh service on the same store (the app restarted) redoes what was undone.
  const restarted = new DatasetService({ store, dataDir: dir, account: 'radiology' });
  assert.equal(restarted.redo(ana.id).counts.exclude, 1);
  restarted.undo(ana.id);
  restarted.undo(ana.id);
  assert.equal(restarted.items({ readerId: ana.id }).counts.unlabelled, 6);
  restarted.label(ana.id, [a!], 'negative');
  assert.deepEqual(restarted.history(ana.id), { undo: 1, redo: 0 }, 'a new action ends the redo chain');
  done();
});

test('two readers: Cohen kappa, disagreements, and a senior reader adjudicates', async () => {
  const { store, service, done } = await testCatalog(Array.from({ length: 10 }, (_, i) => ({ path: `pool/u${i}.png` })));
  const ids = itemIds(store);
  const one = service.addReader('Reader One', false);
  const two = service.addReader('Reader Two', false);
  const senior = service.addReader('Senior', true);
  const first = ['positive', 'positive', 'negative', 'negative', 'negative', 'positive', 'unsure', 'negative', 'positive', 'negative'] as const;
  const second = ['positive', 'negative', 'negative', 'negative', 'positive', 'positive', 'unsure', 'negative', 'positive', 'negative'] as const;
  ids.forEach((id, i) => (service.label(one.id, [id], first[i]!), service.label(two.id, [id], second[i]!)));
  const agreement = service.agreement();
  assert.equal(agreement.pairs.length, 1);
  assert.equal(agreement.pairs[0]!.items, 10);
  assert.equal(agreement.pairs[0]!.agreed, 8);
  assert.ok(Math.abs(agreement.pairs[0]!.kappa! - cohensKappa([...first], [...second])) < 1e-12);
  assert.deepEqual(agreement.disagreements.map((d) => d.itemId), [ids[1], ids[4]]);
  assert.equal(service.items({}).counts.disputed, 2);
  assert.throws(() => service.adjudicate(one.id, [ids[1]!], 'positive'), /not a senior reader/);
  const settled = service.adjudicate(senior.id, [ids[1]!, ids[4]!], 'negative');
  assert.equal(settled.counts.disputed, 0);
  assert.deepEqual(service.agreement().disagreements.map((d) => d.adjudicated), ['negative', 'negative']);
  assert.equal(service.nextToLabel(one.id, null).itemId, null, 'reader one has read every item');
  assert.equal(service.nextToLabel(senior.id, null).itemId, ids[0], 'items other readers labelled stay in the senior reader\'s pool');
  assert.equal(service.nextToLabel(senior.id, ids[0]!).itemId, ids[2], 'adjudicated items leave the pool');
  done();
});

test('splits: built by patient (green), locked, turned red by a later manifest, fixed as a new version', async () => {
  // 12 patients × 3 images, one class per patient.
  const patches: PatchSpec[] = [];
  for (let p = 0; p < 12; p++) for (let k = 0; k < 3; k++) patches.push({ path: `p${p}/i${k}.png`, patientId: `P${p}`, label: p % 2 ? 'positive' : 'negative' });
  const { dir, store, ingest, service, done } = await testCatalog(patches);
  const built = service.buildSplit({ name: 'main', ratios: { train: 70, val: 15, test: 15 }, seed: 3, readerId: null });
  assert.equal(built.split.level, 'patient');
  assert.equal(built.leakage.status, 'green');
  const patientsPerPart = Object.fromEntries(Object.entries(built.parts).map(([part, counts]) => [part, counts.patients]));
  assert.equal(patientsPerPart.train! + patientsPerPart.val! + patientsPerPart.test!, 12, 'every patient sits in exactly one split');
  for (const part of ['train', 'val', 'test'] as const) assert.ok(built.parts[part].positives > 0 && built.parts[part].negatives > 0, `${part} has both classes`);
  assert.deepEqual(service.buildSplit({ name: 'again', ratios: { train: 70, val: 15, test: 15 }, seed: 3, readerId: null }).groups, built.groups, 'same seed, same split');

  const locked = service.lockSplit(built.split.id, null);
  assert.ok(locked.split.lockedAt);
  assert.throws(() => store.db.prepare("UPDATE dataset_split_items SET part = 'test' WHERE split_id = ?").run(built.split.id), /split is locked/);
  assert.throws(() => service.lockSplit(built.split.id, null), /already locked/);
  service.activateSplit(built.split.id);

  // A later manifest adds two new images of a patient that sits in train... one of them to test.
  const trainPatient = built.groups.find((g) => g.part === 'train' && g.patient !== null)!.patient!;
  // The manifest names patients by their own ids: find the one behind the pseudonym through the import log, whose
  // pseudonymous file id the vault turns back into the path.
  const fileId = (store.db.prepare(
    `SELECT g.path FROM import_log g JOIN dataset_items d ON d.source_sha256 = g.source_sha256 JOIN patients p ON p.id = d.patient_id
     WHERE p.pseudonym = ? AND g.outcome = 'imported' LIMIT 1`,
  ).get(trainPatient) as { path: string }).path;
  const path = ingest.sourcePathOf(fileId)!;
  const originalIndex = Number(/^p(\d+)\//.exec(path)![1]);
  await ingest.runImport('later', {
    root: writePatchFolder(join(dir, 'later'), [
      { path: 'later/a.png', patientId: `P${originalIndex}`, label: 'positive', split: 'train' },
      { path: 'later/b.png', patientId: `P${originalIndex}`, label: 'positive', split: 'test' },
    ]),
  }, quiet);
  const red = service.split(built.split.id);
  assert.equal(red.leakage.status, 'red');
  assert.equal(red.leakage.arrivals, 2);
  assert.deepEqual(red.leakage.leaks.map((l) => l.patient), [trainPatient]);
  assert.equal(red.leakage.leaks[0]!.parts.test, 1);

  const fixed = service.fixLeaks(built.split.id, null);
  assert.notEqual(fixed.split.id, built.split.id, 'a locked split is not edited: the fix is a new version');
  assert.equal(fixed.split.version, built.split.version + 1);
  assert.equal(fixed.split.parentId, built.split.id);
  assert.equal(fixed.split.lockedAt, null);
  assert.equal(fixed.leakage.status, 'green');
  assert.equal(fixed.split.items, built.split.items + 2);
  assert.equal(service.split(built.split.id).leakage.status, 'red', 'the locked version still shows what it was');
  service.lockSplit(fixed.split.id, null);

  // The locked fix exports as the training engine's folder layout.
  const source = service.trainingSource(fixed.split.id);
  const files = (part: string, cls: string) => readdirSync(join(source.labeledRoot, part, cls)).length;
  assert.equal(files('train', 'positive') + files('train', 'negative'), fixed.parts.train.items);
  assert.equal(files('test', 'positive') + files('test', 'negative'), fixed.parts.test.items);
  assert.throws(() => service.trainingSource(service.buildSplit({ name: 'draft', ratios: { train: 1, val: 1, test: 1 }, seed: 1, readerId: null }).split.id), /lock it before training/);
  done();
});

test('items without patient ids: the split falls back to images and says so; the source split imports', async () => {
  const patches: PatchSpec[] = [];
  for (const split of ['train', 'val', 'test'] as const) for (const label of ['positive', 'negative'] as const) for (let k = 0; k < 4; k++) patches.push({ path: `labeled/${split}/${label}/${k}.png` });
  for (let k = 0; k < 5; k++) patches.push({ path: `unlabeled/u${k}.png` });
  const { service, done } = await testCatalog(patches);
  const built = service.buildSplit({ name: 'main', ratios: { train: 60, val: 20, test: 20 }, seed: 1, readerId: null });
  assert.equal(built.split.level, 'image');
  assert.match(built.split.warnings[0]!, /have no patient id/);
  const imported = service.importSplit({ name: 'p-adsd', readerId: null });
  assert.equal(imported.split.origin, 'source');
  assert.deepEqual(
    Object.fromEntries(Object.entries(imported.parts).map(([part, c]) => [part, [c.positives, c.negatives, c.unlabelled]])),
    { train: [4, 4, 5], val: [4, 4, 0], test: [4, 4, 0] },
  );
  assert.ok(imported.split.warnings.some((w) => /no patient id/.test(w)));
  assert.ok(imported.split.warnings.some((w) => /5 items carried no split/.test(w)));
  done();
});

test('with a model\'s scores, "label next" walks the most uncertain items and the prediction filters apply', async () => {
  const { store, service, done } = await testCatalog(Array.from({ length: 6 }, (_, i) => ({ path: `pool/u${i}.png` })));
  const ids = itemIds(store);
  const reader = service.addReader('Dr Cy', false);
  assert.equal(service.nextToLabel(reader.id, null).by, 'order', 'without a model the walk is in catalog order');
  // A finished run's record (threshold 0.4 chosen on validation) and its scores for the pool.
  insertRun(store, { id: 'run-1', config: TrainingConfigSchema.parse({}), dataset: { labeledRoot: '/x', unlabeledDir: null }, preprocessingVersion: 'patch-v1', codeVersion: 'test', runDir: '/x' });
  updateRun(store, 'run-1', { status: 'succeeded', metrics: { threshold: { threshold: 0.4 } } });
  const scores = [0.05, 0.41, 0.9, 0.35, 0.6, 0.99];
  const insert = store.db.prepare("INSERT INTO item_scores (run_id, item_id, score, scored_at) VALUES ('run-1', ?, ?, '2025-01-02T00:00:00Z')");
  ids.forEach((id, i) => insert.run(id, scores[i]!));
  const first = service.nextToLabel(reader.id, null);
  assert.deepEqual({ itemId: first.itemId, by: first.by }, { itemId: ids[1], by: 'uncertainty' }, '0.41 sits closest to the 0.4 threshold');
  service.label(reader.id, [ids[1]!], 'positive');
  assert.equal(service.nextToLabel(reader.id, null).itemId, ids[3], 'then 0.35');
  const page = service.items({ readerId: reader.id, prediction: 'positive' });
  assert.deepEqual(page.rows.map((r) => r.id), [ids[1], ids[2], ids[4], ids[5]]);
  assert.equal(page.model?.threshold, 0.4);
  assert.deepEqual(service.items({ uncertainty: 'high' }).rows.map((r) => r.id), [ids[1], ids[3]]);
  assert.deepEqual(service.items({ order: 'uncertainty' }).rows.map((r) => r.id).slice(0, 3), [ids[1], ids[3], ids[4]]);
  assert.deepEqual(service.items({ readerId: reader.id, readerMode: 'labelled' }).rows.map((r) => r.id), [ids[1]]);
  assert.equal(uncertaintyOf(0.4, 0.4), 1);
  assert.equal(uncertaintyOf(1, 0.4), 0);
  assert.equal(uncertaintyOf(0, 0.4), 0);
  done();
});
