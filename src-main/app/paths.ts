// Where things live: the project root (addon, built renderer), the app's data folder and the shared data sets.
// Every path is a setting with a default, so tests point services at temporary folders.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, found by walking up from this module (works from sources and bundles). */
export function projectRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src-main'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

/** The read-only data sets (P-ADSD patches, DICOM samples); a setting, default ../shared/data. */
export function sharedDataDir(): string {
  return resolve(process.env.ANGIO_SHARED_DATA ?? join(projectRoot(), '..', 'shared', 'data'));
}

/** The app's own data (catalog, content-addressed files, models) when run outside Electron. */
export function defaultDataDir(): string {
  return resolve(process.env.ANGIO_DATA_DIR ?? join(projectRoot(), '.data'));
}
