// Kill -9 a workstation session (import, then labelling) inside a chosen phase, restart, and check that nothing was
// corrupted or lost: the store's integrity, every referenced blob present with its hash, every label whose commit was
// reported still there, and the interrupted import finishing when run again. Each round picks its phase (every phase
// once per block of rounds) and a point inside it counted in the phase's own units, the k-th file or the k-th label;
// the child holds there until the kill (hold.ts), so every phase is hit however fast the machine. Seeded: the kill
// points reproduce.
import { copyFileSync, globSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { listFiles } from '../../../src-main/ingest/folder-import.ts';
import { seededRandom, type SeededRandom } from '../../../src-main/random/seeded-random.ts';
import { CATALOG_FILE } from '../../../src-main/store/database.ts';
import { checkDataFolder } from '../store-consistency.ts';
import { balancedSchedule, startChildSession, zeroCounts } from './child-session.ts';
import { PHASE_OF, WORK_KILL_POINTS, WORK_PHASES, type WorkKillPlan, type WorkKillPoint, type WorkPhase } from './work-plan.ts';

export interface CrashRoundsOptions {
  seed: number;
  rounds: number;
  dataDir: string;
  folder: string;
  /** Longest a round may run: past it the session counts as hung (a guard, not a kill point). */
  maxRunMs: number;
  /** Shared data folder: each round adds fresh patches to the folder so that every import does real work. */
  sharedDataDir?: string;
  /** The phases rounds aim at (default both); labelling alone makes a session finish its import first. */
  phases?: readonly WorkPhase[];
  log?: (line: string) => void;
}

export interface CrashRoundsResult {
  rounds: number;
  killsByPhase: Record<WorkPhase, number>;
  killsByPoint: Record<WorkKillPoint, number>;
  committedLabels: number;
  lostLabels: string[];
  dataProblems: string[];
  /** Rounds that hung, ended by themselves or held somewhere other than their aim. */
  harnessProblems: string[];
  importCompleted: boolean;
}

/** Labels a labelling round may record before its kill point. */
const LABEL_UNITS = 150;

/** A point of `phase` and how many of its units come first (the folder's files for the import). */
function planKill(phase: WorkPhase, files: number, random: SeededRandom): WorkKillPlan {
  const points = WORK_KILL_POINTS.filter((p) => PHASE_OF[p] === phase);
  return { point: points[random.below(points.length)] as WorkKillPoint, unit: 1 + random.below(phase === 'import' ? files : LABEL_UNITS) };
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
  const result: CrashRoundsResult = {
    rounds: 0, killsByPhase: zeroCounts(WORK_PHASES), killsByPoint: zeroCounts(WORK_KILL_POINTS), committedLabels: 0,
    lostLabels: [], dataProblems: [], harnessProblems: [], importCompleted: false,
  };
  // Each phase once per block of rounds: any run of at least that many rounds hits every phase.
  const schedule = balancedSchedule(options.phases ?? WORK_PHASES, options.rounds, random);
  for (let round = 0; round < options.rounds; round++) {
    if (options.sharedDataDir) addRoundPatches(options.sharedDataDir, options.folder, options.seed, round);
    const plan = planKill(schedule[round] as WorkPhase, listFiles(options.folder).length, random);
    // Each session labels from the first item: before its first report, that item is the one in flight.
    let lastItem: number | null = null;
    let phase = 'starting' as 'starting' | WorkPhase;
    const session = startChildSession('work-child.ts', [options.dataDir, options.folder, String(round), JSON.stringify(plan)], (line) => {
      if (line === 'import-started') phase = 'import';
      else if (line === 'import-finished') {
        phase = 'labelling';
        result.importCompleted = true;
      } else if (line.startsWith('label ')) {
        const [item, label] = line.slice(6).split(' ') as [string, string];
        committed.set(Number(item), label);
        lastItem = Number(item);
        result.committedLabels++;
      }
    }, options.maxRunMs);
    const end = await session.closed;
    const aim = `${plan.point} ${plan.unit}`;
    if (session.timedOut()) result.harnessProblems.push(`round ${round}: the session hung before its kill point (${aim}): ${session.stderr()}`);
    else if (end.signal !== 'SIGKILL') result.harnessProblems.push(`round ${round}: the session ended by itself (${end.code ?? end.signal}) before its kill point (${aim}): ${session.stderr()}`);
    else if (phase === 'starting' || phase !== PHASE_OF[plan.point]) result.harnessProblems.push(`round ${round}: aimed at ${aim}, killed during ${phase} (held at ${session.heldAt()})`);
    else {
      result.killsByPhase[phase]++;
      result.killsByPoint[plan.point]++;
    }
    result.rounds++;
    options.log?.(`round ${round}: killed during ${phase}, held at ${session.heldAt() ?? 'nothing'}`);

    const report = checkDataFolder(options.dataDir);
    for (const p of report.problems) result.dataProblems.push(`round ${round}: ${p}`);
    // Every reported commit must still be there: the item's current label is the last one reported.
    const db = new DatabaseSync(join(options.dataDir, CATALOG_FILE), { readOnly: true });
    try {
      const current = db.prepare("SELECT l.label FROM item_labels l JOIN readers r ON r.id = l.reader_id WHERE r.name = 'crash-test' AND l.item_id = ?");
      const items = (db.prepare('SELECT id FROM dataset_items ORDER BY id').all() as { id: number }[]).map((r) => r.id);
      const inFlight = lastItem === null ? items[0] : items[(items.indexOf(lastItem) + 1) % items.length];
      for (const [item, label] of committed) {
        const stored = (current.get(item) as { label: string } | undefined)?.label;
        if (stored === label) continue;
        if (phase === 'labelling' && item === inFlight && stored !== undefined) {
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
