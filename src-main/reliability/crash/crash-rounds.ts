// Kill -9 at random moments of a workstation session (import, then labelling), restart, and check that nothing was
// corrupted or lost: the store's integrity, every referenced blob present with its hash, every label whose commit was
// reported still there, and the interrupted import finishing when run again. Seeded: the kill times reproduce.
import { spawn } from 'node:child_process';
import { copyFileSync, globSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { seededRandom } from '../../random/seeded-random.ts';
import { CATALOG_FILE } from '../../store/database.ts';
import { checkDataFolder } from '../store-consistency.ts';

export interface CrashRoundsOptions {
  seed: number;
  rounds: number;
  dataDir: string;
  folder: string;
  /** Longest time a round may run before it is killed whatever its phase. */
  maxRunMs: number;
  /** Shared data folder: each round adds fresh patches to the folder so that every import does real work. */
  sharedDataDir?: string;
  /** Let the import finish and kill shortly after, while labelling (the "restart finishes the import" round). */
  killAfterImport?: boolean;
  log?: (line: string) => void;
}

export interface CrashRoundsResult {
  rounds: number;
  killsDuringImport: number;
  killsDuringLabelling: number;
  committedLabels: number;
  lostLabels: string[];
  dataProblems: string[];
  importCompleted: boolean;
}

/** A small mixed folder: P-ADSD patches in their split/label layout and a few DICOM files (copied: it is a fixture). */
export function buildCrashFolder(sharedDataDir: string, folder: string, patches = 80): number {
  const pngs = globSync('p-adsd/labeled/train/*/*.png', { cwd: sharedDataDir }).sort().slice(0, patches);
  for (const png of pngs) {
    const target = join(folder, png.replace(/^p-adsd\//, ''));
    mkdirSync(join(target, '..'), { recursive: true });
    copyFileSync(join(sharedDataDir, png), target);
  }
  const dicoms = ['misc/MR_small.dcm', 'misc/SC_rgb.dcm', 'misc/emri_small_RLE.dcm', 'misc/JPEG-lossy.dcm', 'xa/XA1_JPLY.dcm'];
  mkdirSync(join(folder, 'dicom'), { recursive: true });
  for (const d of dicoms) copyFileSync(join(sharedDataDir, 'dicom', d), join(folder, 'dicom', basename(d)));
  return pngs.length + dicoms.length;
}

/** 25 patches the folder has not seen (from P-ADSD's validation split), named for the round. */
function addRoundPatches(sharedDataDir: string, folder: string, seed: number, round: number): void {
  const pool = globSync('p-adsd/labeled/val/*/*.png', { cwd: sharedDataDir }).sort();
  const dir = join(folder, 'labeled', 'train', 'negative');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 25; i++) {
    const source = pool[(seed * 7919 + round * 25 + i) % pool.length] as string;
    copyFileSync(join(sharedDataDir, source), join(dir, `s${seed}-r${round}-${basename(source)}`));
  }
}

export async function runCrashRounds(options: CrashRoundsOptions): Promise<CrashRoundsResult> {
  const random = seededRandom(options.seed);
  // The last label reported committed for each item: the store must hold exactly that (one commit may have landed
  // without its report before the kill: the item after the last reported one may hold its next label instead).
  const committed = new Map<number, string>();
  let lastItem: number | null = null;
  const result: CrashRoundsResult = { rounds: 0, killsDuringImport: 0, killsDuringLabelling: 0, committedLabels: 0, lostLabels: [], dataProblems: [], importCompleted: false };
  for (let round = 0; round < options.rounds; round++) {
    // Even rounds are killed at a random moment of the import, odd ones while labelling; each round brings new files.
    const target: 'import' | 'labelling' = round % 2 === 0 ? 'import' : 'labelling';
    const delayMs = random.below(target === 'import' ? 400 : 2_000);
    if (options.sharedDataDir) addRoundPatches(options.sharedDataDir, options.folder, options.seed, round);
    const killAfterMs = options.maxRunMs;
    const child = spawn(process.execPath, [join(import.meta.dirname, 'work-child.ts'), options.dataDir, options.folder, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let phase = 'starting' as 'starting' | 'import' | 'labelling';
    let pendingLine = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.stdout.on('data', (chunk: Buffer) => {
      const lines = (pendingLine + chunk.toString()).split('\n');
      pendingLine = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('imported')) {
          if (phase !== 'import' && target === 'import' && !options.killAfterImport) setTimeout(() => child.kill('SIGKILL'), delayMs);
          phase = 'import';
        }
        else if (line === 'import-finished') {
          phase = 'labelling';
          result.importCompleted = true;
          if (options.killAfterImport) setTimeout(() => child.kill('SIGKILL'), 300);
          else if (target === 'labelling') setTimeout(() => child.kill('SIGKILL'), delayMs);
        } else if (line.startsWith('label ')) {
          const [item, label] = line.slice(6).split(' ') as [string, string];
          committed.set(Number(item), label);
          lastItem = Number(item);
          result.committedLabels++;
        }
      }
    });
    // 'close', not 'exit': the last lines the child wrote before the kill must be read first.
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const roundStart = Date.now();
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    const end = await exited;
    clearTimeout(timer);
    if (end.signal !== 'SIGKILL') throw new Error(`round ${round}: the session ended by itself (${end.code ?? end.signal}) before the kill: ${stderr}`);
    if (phase === 'labelling') result.killsDuringLabelling++;
    else result.killsDuringImport++;
    result.rounds++;
    options.log?.(`round ${round}: killed after ${Date.now() - roundStart} ms during ${phase}`);

    const report = checkDataFolder(options.dataDir);
    for (const p of report.problems) result.dataProblems.push(`round ${round}: ${p}`);
    // Every reported commit must still be there: the item's current label is the last one reported.
    const db = new DatabaseSync(join(options.dataDir, CATALOG_FILE), { readOnly: true });
    try {
      const current = db.prepare("SELECT l.label FROM item_labels l JOIN readers r ON r.id = l.reader_id WHERE r.name = 'crash-test' AND l.item_id = ?");
      const items = (db.prepare('SELECT id FROM dataset_items ORDER BY id').all() as { id: number }[]).map((r) => r.id);
      const inFlight = lastItem === null ? null : items[(items.indexOf(lastItem) + 1) % items.length];
      for (const [item, label] of committed) {
        const stored = (current.get(item) as { label: string } | undefined)?.label;
        if (stored === label) continue;
        if (item === inFlight && stored !== undefined) {
          committed.set(item, stored); // the unreported commit landed: it is what later rounds must find
          continue;
        }
        result.lostLabels.push(`round ${round}: item ${item} was reported labelled ${label}, the store holds ${stored ?? 'no label'}`);
      }
    } finally {
      db.close();
    }
  }
  return result;
}
