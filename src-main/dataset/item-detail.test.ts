// One dataset item as the viewer's header names it (dataset.item): kind, source file, patient pseudonym, the
// reference label (import label, then readers, then a senior's adjudication) and its part of the active split.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { itemAt, pseudonymAt, quietImport, testCatalog } from './testing/catalog.ts';

test('an item\'s detail follows its labels and the active split; DICOM items name their instance and frame', async () => {
  const { store, ingest, service, done } = await testCatalog([
    { path: 'cath/p1-a.png', patientId: 'HOSP-001', label: 'negative', split: 'test' },
    { path: 'cath/p2-a.png', patientId: 'HOSP-002', label: 'positive', split: 'train' },
    { path: 'pool/u0.png' },
  ]);
  try {
    const patch = itemAt(store, 'cath/p1-a.png');
    assert.deepEqual(service.item(patch), {
      id: patch, kind: 'png', instanceId: null, frameIndex: null, width: 32, height: 32, patient: pseudonymAt(store, 'cath/p1-a.png'),
      sourceName: service.item(patch).sourceName, sourceSplit: 'test', label: 'negative', split: null,
    });
    // The patch's file name can carry the patient's: the item names a pseudonymous file id, which the vault resolves.
    const sourceName = service.item(patch).sourceName ?? '';
    assert.match(sourceName, /^source-[0-9a-f]{12}\/file-[0-9a-f]{12}$/);
    assert.equal(ingest.sourcePathOf(sourceName), 'cath/p1-a.png');
    const pool = service.item(itemAt(store, 'pool/u0.png'));
    assert.deepEqual({ patient: pool.patient, label: pool.label, sourceSplit: pool.sourceSplit }, { patient: null, label: null, sourceSplit: null });

    const one = service.addReader('Reader One', false);
    const two = service.addReader('Reader Two', false);
    const senior = service.addReader('Senior', true);
    service.label(one.id, [patch], 'positive');
    assert.equal(service.item(patch).label, 'positive', 'a reader\'s label overrides the import\'s');
    service.label(two.id, [patch], 'negative');
    assert.equal(service.item(patch).label, 'disputed');
    service.adjudicate(senior.id, [patch], 'negative');
    assert.equal(service.item(patch).label, 'negative', 'the adjudication settles it');

    const imported = service.importSplit({ name: 'manifest', readerId: null });
    assert.deepEqual(service.item(patch).split, { id: imported.split.id, name: 'manifest', version: 1, part: 'test' });
    assert.equal(service.item(itemAt(store, 'pool/u0.png')).split?.part, 'train');

    await ingest.runImport('cine', { root: join(sharedDataDir(), 'dicom', 'xa'), files: ['XA_cine_96f_jpeg_baseline.dcm'] }, quietImport);
    const frame = store.db.prepare("SELECT id, instance_id AS instanceId, frame_index AS frameIndex FROM dataset_items WHERE kind = 'dicom-frame'").get() as { id: number; instanceId: number; frameIndex: number };
    const detail = service.item(frame.id);
    assert.deepEqual({ kind: detail.kind, instanceId: detail.instanceId, frameIndex: detail.frameIndex, split: detail.split }, { kind: 'dicom-frame', instanceId: frame.instanceId, frameIndex: frame.frameIndex, split: null });
    assert.match(detail.patient ?? '', /^P-[0-9A-F]{12}$/);

    assert.throws(() => service.item(999_999), (e: Error & { code?: string }) => e.code === 'item-not-found');
  } finally {
    done();
  }
});
