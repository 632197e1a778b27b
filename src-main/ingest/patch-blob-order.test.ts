// A patch import writes its files on the thread pool while it checks the next patches: no row may be committed before
// its file is whole, and a write that fails stops the import with that failure, its batch uncommitted.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sharedDataDir } from '../app/paths.ts';
import { openStore } from '../store/database.ts';
import { IngestService } from './service.ts';

const folder = join(sharedDataDir(), 'p-adsd', 'labeled', 'val');
const quiet = { progress: () => {}, throwIfCancelled: () => {} };

/** A fresh catalog whose blob writes are slowed (and the `failAt`-th one failed), and whose every commit is checked:
 * each row it makes visible must name a file that is there with its SHA-256 (node:crypto recomputes it). */
function slowedImport(failAt: number | null) {
  const dir = mkdtempSync(join(tmpdir(), 'angio-blob-order-'));
  const store = openStore(dir);
  const service = new IngestService({ store, dataDir: dir });
  const put = service.blobs.putAsync.bind(service.blobs);
  let writes = 0;
  service.blobs.putAsync = async (bytes, sha) => {
    const n = ++writes;
    await sleep(n % 7); // files finish out of order, some after the next patches were checked
    if (n === failAt) throw Object.assign(new Error('simulated write failure'), { code: 'EIO' });
    return put(bytes, sha);
  };
  const rowsWithoutFile: string[] = [];
  const transaction = store.transaction;
  store.transaction = (work) =>
    transaction(() => {
      const result = work();
      for (const { sha } of store.db.prepare('SELECT blob_sha256 AS sha FROM dataset_items').all() as { sha: string }[]) {
        let held: string | null = null;
        try {
          held = createHash('sha256').update(readFileSync(service.blobs.pathOf(sha))).digest('hex');
        } catch {
          held = null;
        }
        if (held !== sha) rowsWithoutFile.push(sha);
      }
      return result;
    });
  const done = () => {
    service.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { store, service, rowsWithoutFile, done };
}

test('every committed row names a whole file, however late the writes finish', async () => {
  const { store, service, rowsWithoutFile, done } = slowedImport(null);
  try {
    const counts = await service.runImport('slow', { root: folder }, quiet);
    assert.equal(counts.imported, 300);
    assert.deepEqual(rowsWithoutFile, [], 'a row was committed before its file was written');
    assert.equal((store.db.prepare('SELECT count(*) AS n FROM dataset_items').get() as { n: number }).n, 300);
  } finally {
    done();
  }
});

test('a failed write stops the import with its error; its batch is not committed, the batch before it is', async () => {
  const { store, service, rowsWithoutFile, done } = slowedImport(270);
  try {
    await assert.rejects(service.runImport('failing', { root: folder }, quiet), /simulated write failure/);
    assert.deepEqual(rowsWithoutFile, []);
    const rows = (store.db.prepare('SELECT count(*) AS n FROM dataset_items').get() as { n: number }).n;
    assert.equal(rows, 256, 'the first batch of 256 stays committed, the one holding the failed write does not');
  } finally {
    done();
  }
});
