// Run folders trained outside the app (`npm run demo`, `npm run experiment`) listed beside the app's own runs: the
// user opens a folder once (an experiment's report folder, its runs/ folder or one run), the app remembers it, and
// each run in it that wrote the app's model file (model.angio) can be opened in the Viewer.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { readRecent, rememberRecent } from '../app/index.ts';
import { AppError } from '../ipc/index.ts';
import type { Store } from '../store/index.ts';
import { INFERENCE_MODEL_FILE } from './inference-export.ts';

const RUN_FOLDERS_SETTING = 'training.runFolders';
const RUN_FOLDERS_LIMIT = 12;

export interface FolderRun {
  /** The run's folder name (e.g. ssl-quantum-seed1). */
  name: string;
  runDir: string;
  modelPath: string;
  /** What the experiment calls the model (scored.json), else the folder name. */
  label: string;
  seed: number | null;
  testAuc: number | null;
  valAuc: number | null;
  /** When model.angio was written (ISO time). */
  modelWrittenAt: string;
}

export interface RunFolder {
  path: string;
  /** The experiment's title when the folder is a report folder (metrics.json), else null. */
  title: string | null;
  runs: FolderRun[];
  /** Why nothing can be listed now (the folder went away, or holds no model file); null when it lists runs. */
  problem: string | null;
}

function readJson(path: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

function describeRun(runDir: string): FolderRun {
  const modelPath = join(runDir, INFERENCE_MODEL_FILE);
  // scored.json is the experiment's record of a finished run; result.json is the engine's, for a run trained alone.
  const scored = readJson(join(runDir, 'scored.json'));
  const metrics = (readJson(join(runDir, 'result.json'))?.metrics ?? null) as Record<string, unknown> | null;
  return {
    name: basename(runDir),
    runDir,
    modelPath,
    label: typeof scored?.label === 'string' ? scored.label : basename(runDir),
    seed: numberOrNull(scored?.seed),
    testAuc: numberOrNull(scored?.testAuc) ?? numberOrNull(metrics?.testAuc),
    valAuc: numberOrNull(scored?.valAuc) ?? numberOrNull(metrics?.valAuc),
    modelWrittenAt: statSync(modelPath).mtime.toISOString(),
  };
}

/** The runs with a model file: the folder itself when it is one run, else its subfolders and those of its runs/. */
function runDirsIn(folder: string): string[] {
  if (existsSync(join(folder, INFERENCE_MODEL_FILE))) return [folder];
  const parents = [folder, join(folder, 'runs')].filter((dir) => existsSync(dir) && statSync(dir).isDirectory());
  return parents
    .flatMap((parent) => readdirSync(parent, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(parent, entry.name)))
    .filter((dir) => existsSync(join(dir, INFERENCE_MODEL_FILE)))
    .sort();
}

/** Reads a folder as it is now; never throws for a folder that went away (that is its `problem`). */
export function readRunFolder(path: string): RunFolder {
  const folder = resolve(path);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    return { path: folder, title: null, runs: [], problem: `${folder} is not a folder (any more): open the report folder again, or another one.` };
  }
  const title = readJson(join(folder, 'metrics.json'))?.title;
  let runs: FolderRun[];
  try {
    runs = runDirsIn(folder).map(describeRun);
  } catch (error) {
    return { path: folder, title: null, runs: [], problem: `${folder} cannot be read (${(error as Error).message}): check its permissions, or open another folder.` };
  }
  const problem = runs.length > 0 ? null : `No run in ${folder} has written ${INFERENCE_MODEL_FILE} yet: open the report folder of \`npm run demo\` or \`npm run experiment\` (or one of its runs/ folders) once a run has finished.`;
  return { path: folder, title: typeof title === 'string' ? title : null, runs, problem };
}

/** The remembered run folders, newest first, each read as it is now. */
export function rememberedRunFolders(store: Store): RunFolder[] {
  return readRecent(store, RUN_FOLDERS_SETTING, RUN_FOLDERS_LIMIT).map(readRunFolder);
}

/** Opens a folder: refused (nothing remembered) when it is not a folder or holds no run with a model file. */
export function openRunFolder(store: Store, path: string): RunFolder[] {
  const folder = readRunFolder(path);
  if (folder.problem) throw new AppError('run-folder-empty', folder.problem, { path: folder.path });
  rememberRecent(store, RUN_FOLDERS_SETTING, folder.path, RUN_FOLDERS_LIMIT);
  return rememberedRunFolders(store);
}
