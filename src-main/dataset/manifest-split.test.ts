// Importing the split a CSV manifest carries (importSourceSplit through DatasetService.importSplit): the split
// column decides each image's part, whatever folder the file sits in; its spellings are normalised; images without
// a split follow their patient; what has neither goes to train and the split says so.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { splitAssignment } from './split-versions.ts';
import { itemAt, testCatalog } from './testing/catalog.ts';
import { syntheticPatch } from './testing/patch-folders.ts';

/** path → [patient_id, label, split] as they appear in the manifest's columns ('' leaves a cell empty). */
const MANIFEST: Record<string, [string, string, string]> = {
  'cath/p1-a.png': ['HOSP-001', 'positive', 'train'],
  'cath/p1-b.png': ['HOSP-001', 'positive', ''],
  'cath/p2-a.png': ['HOSP-002', 'negative', 'Validation'],
  'cath/p2-b.png': ['HOSP-002', 'negative', 'valid'],
  'cath/p3-a.png': ['HOSP-003', 'positive', 'TEST'],
  'cath/p3-b.png': ['HOSP-003', 'negative', 'holdout'],
  // The folder says train; the manifest's split column says test, and wins.
  'labeled/train/negative/p4-a.png': ['HOSP-004', '', 'testing'],
  'pool/u1.png': ['', '', ''],
};

function writeManifestFolder(root: string): void {
  for (const path of Object.keys(MANIFEST)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), syntheticPatch(path));
  }
  const rows = Object.entries(MANIFEST).map(([path, [patient, label, split]]) => `${path},${patient},${label},${split}`);
  // Saved the way spreadsheet programs save CSV: a byte-order mark and CRLF line ends.
  writeFileSync(join(root, 'manifest.csv'), `\uFEFFpath,patient_id,label,split\n${rows.join('\r\n')}\r\n`);
}

test('a CSV manifest\'s split column imports as a split version: parts per image, patients kept together, warnings', async () => {
  const { store, service, done } = await testCatalog(writeManifestFolder);
  try {
    const imported = service.importSplit({ name: 'hospital', readerId: null });
    assert.equal(imported.split.origin, 'source');
    assert.equal(imported.split.name, 'hospital');
    assert.equal(imported.split.version, 1);
    assert.equal(imported.split.seed, null, 'an imported split is not drawn: it has no seed');
    assert.equal(imported.split.active, true, 'the imported split becomes the active one');

    const parts = splitAssignment(store, imported.split.id);
    const partOf = (path: string) => parts.get(itemAt(store, path))?.part;
    assert.deepEqual(
      Object.fromEntries(Object.keys(MANIFEST).map((path) => [path, partOf(path)])),
      {
        'cath/p1-a.png': 'train',
        'cath/p1-b.png': 'train', // no split of its own: follows HOSP-001
        'cath/p2-a.png': 'val', // "Validation"
        'cath/p2-b.png': 'val', // "valid"
        'cath/p3-a.png': 'test', // "TEST"
        'cath/p3-b.png': 'test', // "holdout" is no split name: follows HOSP-003
        'labeled/train/negative/p4-a.png': 'test', // the column beats the folder
        'pool/u1.png': 'train', // neither a split nor a patient
      },
    );
    assert.equal(imported.leakage.status, 'green', 'every patient sits in one part');
    assert.equal(imported.split.level, 'mixed', 'one image has no patient id');
    assert.deepEqual(
      { train: imported.parts.train.patients, val: imported.parts.val.patients, test: imported.parts.test.patients },
      { train: 1, val: 1, test: 2 },
    );
    assert.deepEqual(
      Object.fromEntries(Object.entries(imported.parts).map(([part, c]) => [part, [c.positives, c.negatives, c.unlabelled]])),
      // p4-a's label comes from its folder (the manifest leaves it empty); u1 has none.
      { train: [2, 0, 1], val: [0, 2, 0], test: [1, 2, 0] },
    );
    assert.ok(imported.split.warnings.some((w) => /^1 of 8 items have no patient id/.test(w)), imported.split.warnings.join(' | '));
    assert.ok(imported.split.warnings.some((w) => /^1 items carried no split and were put in train/.test(w)), imported.split.warnings.join(' | '));

    // Importing again makes version 2 of the same name, identical in content.
    const again = service.importSplit({ name: 'hospital', readerId: null });
    assert.equal(again.split.version, 2);
    assert.deepEqual([...splitAssignment(store, again.split.id)], [...parts]);
    // Once locked it is what training reads.
    assert.ok(service.lockSplit(again.split.id, null).split.lockedAt);
  } finally {
    done();
  }
});

test('a manifest without a split column has nothing to import: the user is told to build a split', async () => {
  const { service, done } = await testCatalog((root) => {
    mkdirSync(join(root, 'cath'), { recursive: true });
    writeFileSync(join(root, 'cath', 'a.png'), syntheticPatch('a'));
    writeFileSync(join(root, 'manifest.csv'), 'path,patient_id,label\ncath/a.png,HOSP-9,positive\n');
  });
  try {
    assert.throws(() => service.importSplit({ name: 'hospital', readerId: null }), (e: Error & { code?: string }) => e.code === 'split-none-imported' && /Build a split instead/.test(e.message));
    assert.deepEqual(service.splits(), []);
  } finally {
    done();
  }
});
