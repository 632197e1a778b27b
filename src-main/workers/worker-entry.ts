// Where a worker's module is. Under Node the sources run as they are, so a worker is the .ts file beside its
// caller; in the Electron app electron-vite bundles each worker as its own entry (electron.vite.config.ts, named in
// BUNDLED_WORKERS) next to index.js, and the caller may sit in a shared chunk one folder below. Without this, the
// bundle would point at a .ts file that is not there (training would fail and codecs would lose their isolation).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Worker entries of the main bundle: output name → source file (from the project root). */
export const BUNDLED_WORKERS = {
  'training-worker': 'src-main/training/worker.ts',
  'decode-worker': 'src-main/dicom/decode-worker.ts',
  'import-worker': 'src-main/ingest/import-worker.ts',
  'encoder-worker': 'src-main/inference/runtime/encoder-worker.ts',
} as const;

export type BundledWorker = keyof typeof BUNDLED_WORKERS;

/**
 * The worker module for a caller: `source` relative to the caller when the caller runs from sources, else the
 * bundled entry `name`.js in the caller's folder or the one above it. Null when neither exists.
 */
export function workerEntry(callerUrl: string, source: string, name: BundledWorker): URL | null {
  if (callerUrl.endsWith('.ts')) {
    const url = new URL(source, callerUrl);
    return existsSync(fileURLToPath(url)) ? url : null;
  }
  const here = dirname(fileURLToPath(callerUrl));
  for (const dir of [here, dirname(here)]) {
    const file = join(dir, `${name}.js`);
    if (existsSync(file)) return pathToFileURL(file);
  }
  return null;
}

/** Like workerEntry, for workers the caller cannot do without: a missing module is a packaging fault, said so. */
export function requireWorkerEntry(callerUrl: string, source: string, name: BundledWorker): URL {
  const url = workerEntry(callerUrl, source, name);
  if (!url) throw new Error(`The ${name} module is missing next to ${fileURLToPath(callerUrl)}: the app was built or packaged without it (electron.vite.config.ts lists the worker entries).`);
  return url;
}
