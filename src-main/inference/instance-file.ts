// A library image's or dataset item's stored (de-identified) copy, for reading it by id: the renderer names images
// by instance or item id and never sees catalog paths.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../ipc/index.ts';
import { BlobStore, type Store } from '../store/index.ts';

export function instanceFile(store: Store, dataDir: string, instanceId: number): string {
  const row = store.db.prepare('SELECT blob_sha256 AS sha FROM instances WHERE id = ?').get(instanceId) as { sha: string } | undefined;
  if (!row) throw new AppError('instance-not-found', `Image #${instanceId} is not in the library; it may have been removed. Open another image from the Library.`);
  const path = new BlobStore(join(dataDir, 'blobs')).pathOf(row.sha);
  if (!existsSync(path)) throw new AppError('image-missing', `The stored copy of image #${instanceId} is missing from the data folder. Import the file again.`, { instanceId });
  return path;
}

/** A dataset item's stored image: a PNG patch's own copy, or the run a DICOM frame item was taken from. */
export function itemFile(store: Store, dataDir: string, itemId: number): string {
  const row = store.db.prepare('SELECT kind, blob_sha256 AS sha, instance_id AS instanceId FROM dataset_items WHERE id = ?').get(itemId) as
    | { kind: string; sha: string | null; instanceId: number | null }
    | undefined;
  if (!row) throw new AppError('item-not-found', `Dataset item #${itemId} is not in the library; it may have been removed. Refresh the list.`);
  if (row.instanceId !== null) return instanceFile(store, dataDir, row.instanceId);
  if (!row.sha) throw new AppError('item-image-unsupported', `Dataset item #${itemId} has no stored image to read. Import the image again.`);
  const path = new BlobStore(join(dataDir, 'blobs')).pathOf(row.sha);
  if (!existsSync(path)) throw new AppError('image-missing', `The stored copy of dataset item #${itemId} is missing from the data folder. Import the file again.`, { itemId });
  return path;
}
