// A library image's stored (de-identified) copy, for reading it by id: the renderer names images by instance id and
// never sees catalog paths.
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
