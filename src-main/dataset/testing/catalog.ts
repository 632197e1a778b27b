// A real catalog on a temporary folder for the dataset tests: patches imported through the ingest service (with a
// manifest when they name patients), a DatasetService with a ticking clock, and a lookup from an imported file's
// path to its dataset item.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../../store/blobs.ts';
import { IngestService } from '../../ingest/service.ts';
import { openStore, type Store } from '../../store/index.ts';
import { DatasetService } from '../service.ts';
import { writePatchFolder, type PatchSpec } from './patch-folders.ts';

export const quietImport = { progress: () => {}, throwIfCancelled: () => {} };

/** Imports `patches` (or, given a function, whatever it writes into the folder it is handed) as job "first". */
export async function testCatalog(patches: PatchSpec[] | ((root: string) => void)) {
  const dir = mkdtempSync(join(tmpdir(), 'angio-dataset-'));
  const store = openStore(join(dir, 'data'));
  const ingest = new IngestService({ store, dataDir: join(dir, 'data') });
  const root = join(dir, 'first');
  if (typeof patches === 'function') patches(root);
  else writePatchFolder(root, patches);
  await ingest.runImport('first', { root }, quietImport);
  let clock = Date.parse('2025-01-01T00:00:00Z');
  const service = new DatasetService({ store, dataDir: join(dir, 'data'), account: 'radiology', now: () => new Date((clock += 1000)) });
  return { dir, store, ingest, service, done: () => (ingest.close(), store.close(), rmSync(dir, { recursive: true, force: true })) };
}

export const itemIds = (store: Store): number[] => (store.db.prepare('SELECT id FROM dataset_items ORDER BY id').all() as { id: number }[]).map((r) => r.id);

/** The dataset item imported from `path` (relative to the folder of job "first"), found by the file's content: the
 * catalog names imported files by pseudonymous ids, never by their paths. */
export function itemAt(store: Store, path: string): number {
  const root = join(dirname(dirname(store.path)), 'first');
  const row = store.db
    .prepare("SELECT d.id FROM import_log g JOIN dataset_items d ON d.source_sha256 = g.source_sha256 WHERE g.source_sha256 = ? AND g.outcome = 'imported'")
    .get(sha256Hex(readFileSync(join(root, path)))) as { id: number } | undefined;
  if (!row) throw new Error(`no dataset item was imported from ${path}`);
  return row.id;
}

/** The pseudonym the catalog gave the patient of the item imported from `path`. */
export function pseudonymAt(store: Store, path: string): string {
  return (store.db.prepare('SELECT p.pseudonym FROM dataset_items d JOIN patients p ON p.id = d.patient_id WHERE d.id = ?').get(itemAt(store, path)) as { pseudonym: string }).pseudonym;
}
