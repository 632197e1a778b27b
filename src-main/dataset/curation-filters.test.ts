// The curation grid's split and patient filters (curation-query.ts): before any split the split filter reads the
// split each image was imported with; once a split version is active it reads that version's parts ("none": not in
// it). The patient filter matches a pseudonym case-insensitively by any part of it; "none" finds images without a
// patient id. Filters combine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitAssignment } from './split-versions.ts';
import { itemAt, pseudonymAt, testCatalog } from './testing/catalog.ts';
import type { PatchSpec } from './testing/patch-folders.ts';

const PATCHES: PatchSpec[] = [
  { path: 'cath/p1-a.png', patientId: 'HOSP-001', label: 'positive', split: 'train' },
  { path: 'cath/p1-b.png', patientId: 'HOSP-001', label: 'negative', split: 'train' },
  { path: 'cath/p2-a.png', patientId: 'HOSP-002', label: 'negative', split: 'val' },
  { path: 'cath/p3-a.png', patientId: 'HOSP-003', label: 'positive', split: 'test' },
  { path: 'cath/p3-b.png', patientId: 'HOSP-003', label: 'negative', split: 'test' },
  { path: 'pool/u0.png' },
  { path: 'pool/u1.png' },
];

test('curation filters by split (imported, then the active version) and by patient, alone and together', async () => {
  const { store, service, done } = await testCatalog(PATCHES);
  try {
    const id = (path: string) => itemAt(store, path);
    const shown = (filter: Parameters<typeof service.items>[0]) => service.items(filter).rows.map((r) => r.id).sort((a, b) => a - b);
    const ids = (...paths: string[]) => paths.map(id).sort((a, b) => a - b);

    // No split version yet: the split each image was imported with.
    assert.deepEqual(shown({ split: 'train' }), ids('cath/p1-a.png', 'cath/p1-b.png'));
    assert.deepEqual(shown({ split: 'val' }), ids('cath/p2-a.png'));
    assert.deepEqual(shown({ split: 'test' }), ids('cath/p3-a.png', 'cath/p3-b.png'));
    assert.deepEqual(shown({ split: 'none' }), ids('pool/u0.png', 'pool/u1.png'));

    // Patients: by pseudonym, any part of it, in any case; "none" is the images without a patient id.
    const p1 = pseudonymAt(store, 'cath/p1-a.png');
    const p3 = pseudonymAt(store, 'cath/p3-a.png');
    assert.match(p1, /^P-[0-9A-F]{12}$/);
    assert.deepEqual(shown({ patient: p1 }), ids('cath/p1-a.png', 'cath/p1-b.png'));
    assert.deepEqual(shown({ patient: p3.slice(2).toLowerCase() }), ids('cath/p3-a.png', 'cath/p3-b.png'), 'a lower-case part of the pseudonym matches');
    assert.deepEqual(shown({ patient: 'none' }), ids('pool/u0.png', 'pool/u1.png'));
    assert.deepEqual(shown({ patient: 'P-NOSUCHPATIENT' }), []);
    assert.equal(shown({ patient: '' }).length, PATCHES.length, 'an empty patient filter shows everything');
    assert.deepEqual(service.items({ patient: p1 }).rows.map((r) => r.patient), [p1, p1], 'rows name their patient');
    // The original hospital id is not searchable: the catalog holds pseudonyms only.
    assert.deepEqual(shown({ patient: 'HOSP-001' }), []);

    // A reader excludes one pool image; a built split leaves it out, and then the filter reads the split's parts.
    const reader = service.addReader('Dr Lee', false);
    service.label(reader.id, [id('pool/u1.png')], 'exclude');
    const built = service.buildSplit({ name: 'main', ratios: { train: 34, val: 33, test: 33 }, seed: 7, readerId: null });
    const parts = splitAssignment(store, built.split.id);
    assert.equal(parts.size, PATCHES.length - 1);
    for (const part of ['train', 'val', 'test'] as const) {
      const expected = [...parts].filter(([, p]) => p.part === part).map(([itemId]) => itemId).sort((a, b) => a - b);
      assert.deepEqual(shown({ split: part }), expected, `split filter "${part}" shows the active version's ${part} part`);
      assert.ok(service.items({ split: part }).rows.every((r) => r.split === part), `rows in "${part}" say so`);
    }
    assert.deepEqual(shown({ split: 'none' }), ids('pool/u1.png'), 'the excluded image is in no part');

    // Together: a patient's images in one part, and a label within a part.
    const p3Part = parts.get(id('cath/p3-a.png'))!.part;
    assert.equal(parts.get(id('cath/p3-b.png'))!.part, p3Part, 'a patient sits in one part');
    assert.deepEqual(shown({ split: p3Part, patient: p3 }), ids('cath/p3-a.png', 'cath/p3-b.png'));
    const otherPart = (['train', 'val', 'test'] as const).find((p) => p !== p3Part)!;
    assert.deepEqual(shown({ split: otherPart, patient: p3 }), []);
    const positivesInP3Part = [...parts].filter(([itemId, p]) => p.part === p3Part && service.items({ label: 'positive' }).rows.some((r) => r.id === itemId)).map(([itemId]) => itemId).sort((a, b) => a - b);
    assert.deepEqual(shown({ split: p3Part, label: 'positive' }), positivesInP3Part);
    assert.ok(positivesInP3Part.includes(id('cath/p3-a.png')));
    assert.deepEqual(shown({ split: 'none', patient: 'none', label: 'exclude' }), ids('pool/u1.png'));
  } finally {
    done();
  }
});
