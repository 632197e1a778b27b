// Bench suite for patch import: the 9,600 P-ADSD patches imported into a fresh store (hash, blob,
// catalog rows, labels, splits) against `cp -r` of the same folder. Ratio = cp time ÷ our time; target ≥ 1/3.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataDir } from '../../src-main/app/paths.ts';
import { IngestService } from '../../src-main/ingest/service.ts';
import { openStore } from '../../src-main/store/database.ts';
import type { Figure, SuiteOptions } from '../types.ts';

/**
 * Writes back every dirty page before a timed side starts (untimed): without it, whichever side runs second pays
 * for the first side's writeback, and `cp -r` measured 0.35–3.8 s for the same folder.
 */
function settleDisk(): void {
  spawnSync('sync');
}

async function importOnce(folder: string): Promise<{ seconds: number; imported: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'angio-bench-import-'));
  settleDisk();
  const store = openStore(dir);
  const service = new IngestService({ store, dataDir: dir });
  const start = performance.now();
  const counts = await service.runImport('bench', { root: folder }, { progress: () => {}, throwIfCancelled: () => {} });
  const seconds = (performance.now() - start) / 1000;
  service.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { seconds, imported: counts.imported };
}

function copyOnce(folder: string): number {
  const dir = mkdtempSync(join(tmpdir(), 'angio-bench-cp-'));
  settleDisk();
  const start = performance.now();
  const run = spawnSync('cp', ['-r', folder, join(dir, 'copy')]);
  const seconds = (performance.now() - start) / 1000;
  rmSync(dir, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`cp -r failed: ${run.stderr.toString()}`);
  return seconds;
}

export async function importSuite(options: SuiteOptions): Promise<Figure[]> {
  const repeats = options.smoke ? 1 : Math.max(5, options.repeats);
  const folder = options.smoke ? join(sharedDataDir(), 'p-adsd', 'labeled', 'test') : join(sharedDataDir(), 'p-adsd');
  copyOnce(folder); // warm the page cache for both sides
  await importOnce(folder);
  const ours: number[] = [];
  const theirs: number[] = [];
  let imported = 0;
  for (let r = 0; r < repeats; r++) {
    const run = await importOnce(folder);
    imported = run.imported;
    ours.push(run.seconds);
    theirs.push(copyOnce(folder));
  }
  const what = options.smoke ? 'P-ADSD test split' : `${imported} P-ADSD patches`;
  return [
    { name: `import ${what}: ours`, unit: 's', values: ours, higherIsBetter: false },
    { name: `import ${what}: cp -r`, unit: 's', values: theirs, higherIsBetter: false },
    { name: `import ${what}: cp -r time ÷ ours`, unit: 'ratio', values: ours.map((s, i) => (theirs[i] as number) / s), target: 1 / 3, note: 'within 3× the copy time means ≥ 0.333' },
  ];
}
