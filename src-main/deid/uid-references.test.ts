// UIDs are replaced consistently across the catalog: an instance imported later that references an earlier one
// (Source and Referenced Image Sequences, X/Z/U* in the table) still points at that instance's new UID, and none
// of the originals is left. pydicom writes the sources and reads the copies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { IngestService } from '../ingest/service.ts';
import { openStore } from '../store/database.ts';
import { runPython } from '../testing/python-oracle.ts';
import { writeXa } from './testing/small-xa.ts';

const UIDS_IN_COPY = String.raw`
import json, sys, pydicom
ds = pydicom.dcmread(json.loads(sys.stdin.read()))
print(json.dumps({'sop': str(ds.SOPInstanceUID), 'study': str(ds.StudyInstanceUID),
  'references': [str(item.ReferencedSOPInstanceUID) for seq in ('SourceImageSequence', 'ReferencedImageSequence') for item in ds.get(seq, [])]}))
`;

test('a reference imported in a later job resolves to the referenced instance\'s new UID', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-deid-uids-'));
  const source = mkdtempSync(join(tmpdir(), 'angio-deid-uids-src-'));
  const store = openStore(dir);
  const service = new IngestService({ store, dataDir: dir });
  try {
    const progress = { progress: () => {}, throwIfCancelled: () => {} };
    writeXa(join(source, 'a'), '1.2.826.0.1.3680043.9.7781');
    writeXa(join(source, 'b'), '1.2.826.0.1.3680043.9.7782', '1.2.826.0.1.3680043.9.7781.1');
    await service.runImport('a', { root: join(source, 'a') }, progress);
    await service.runImport('b', { root: join(source, 'b') }, progress);
    const [first, second] = (store.db.prepare('SELECT blob_sha256 AS sha FROM instances ORDER BY id').all() as { sha: string }[]).map((r) =>
      runPython<{ sop: string; study: string; references: string[] }>(UIDS_IN_COPY, service.blobs.pathOf(r.sha)),
    );
    assert.ok(first && second, 'both instances are stored');
    assert.notEqual(first.sop, '1.2.826.0.1.3680043.9.7781.1', 'the SOP Instance UID is replaced');
    assert.deepEqual(second.references, [first.sop, first.sop], 'both sequences reference the first instance by its new UID');
    assert.ok(!JSON.stringify([first, second]).includes('1.2.826.0.1.3680043.9.778'), 'no original UID is left');
  } finally {
    service.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(source, { recursive: true, force: true });
  }
});
