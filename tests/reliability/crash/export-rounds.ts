// Kill -9 the app while it exports reports (study PDF, DICOM SR + Secondary Captures in both identities, experiment
// PDF), at seeded points counted in exports (the k-th export as it begins, or at its first rename, where the child
// holds for the kill) and at exact points inside a DICOM set export, restart it, and check after every
// kill: the export folder holds only whole files (export-folder.ts), every DICOM export complete or none of it, the
// audit log names every file, the catalog passes the store check, and asking again for the export that was cut off
// succeeds (or is refused as already there, complete) and cleans up what the killed one left.
import { mkdirSync, readdirSync } from 'node:fs';
import { seededRandom } from '../../../src-main/random/seeded-random.ts';
import { exportLeftover } from '../../../src-main/reports/safe-export.ts';
import { checkDataFolder } from '../store-consistency.ts';
import { balancedSchedule, startChildSession, zeroCounts } from './child-session.ts';
import { checkExportFolder } from './export-folder.ts';
import type { ExportFixture } from './export-fixture.ts';
import { EXPORT_KINDS, HOLD_POINTS, KILL_POINTS, type ExportChildOptions, type ExportKind, type HoldPoint, type KillPoint } from './export-plan.ts';

/** 'writing files': temporary files of the session were left; 'placing files': its journal was (renames under way). */
export const EXPORT_KILL_PHASES = ['start-up', 'rendering', 'writing files', 'placing files'] as const;
export type ExportKillPhase = (typeof EXPORT_KILL_PHASES)[number];

export interface ExportCrashOptions {
  seed: number;
  rounds: number;
  dataDir: string;
  folder: string;
  fixture: ExportFixture;
  maxRunMs: number;
  log?: (line: string) => void;
}

export interface ExportCrashResult {
  kills: number;
  killsByPhase: Record<ExportKillPhase, number>;
  /** The export each kill cut off (none: killed between exports or at start-up). */
  killsByExport: Record<ExportKind | 'none', number>;
  killsAtExactPoints: Record<KillPoint, number>;
  /** Kills where the child held for them, counted in exports. */
  killsAtHoldPoints: Record<HoldPoint, number>;
  exportsCompleted: number;
  /** Re-runs of the cut-off export: written now, or refused because the killed one had landed (complete). */
  reruns: { written: number; alreadyComplete: number };
  leftoversCleaned: number;
  /** Files read whole by pdfinfo / dcmdump. */
  filesChecked: number;
  problems: string[];
}

export async function runExportCrashRounds(options: ExportCrashOptions): Promise<ExportCrashResult> {
  const random = seededRandom(options.seed);
  mkdirSync(options.folder, { recursive: true });
  const result: ExportCrashResult = {
    kills: 0, killsByPhase: zeroCounts(EXPORT_KILL_PHASES), killsByExport: zeroCounts([...EXPORT_KINDS, 'none']), killsAtExactPoints: zeroCounts(KILL_POINTS),
    killsAtHoldPoints: zeroCounts(HOLD_POINTS), exportsCompleted: 0, reruns: { written: 0, alreadyComplete: 0 }, leftoversCleaned: 0, filesChecked: 0, problems: [],
  };
  const validated = new Set<string>();
  let cutOff: { kind: ExportKind; name: string } | undefined;
  let leftoversBefore: string[] = [];

  const session = async (label: string, round: number, child: ExportChildOptions) => {
    const problems: string[] = [];
    let inFlight: { kind: ExportKind; name: string } | undefined;
    let begun = false;
    const started = Date.now();
    const { studyId, experimentPath } = options.fixture;
    const args = [options.dataDir, options.folder, String(studyId), experimentPath, String(round), JSON.stringify(child)];
    const running = startChildSession('export-child.ts', args, (line) => {
      const [word, kind, name, outcome] = line.split(' ') as [string, ExportKind, string, string];
      if (word === 'rerun') {
        if (outcome === 'ok') result.reruns.written++;
        else if (outcome === 'export-file-exists') result.reruns.alreadyComplete++;
        else problems.push(`asking again for ${name} was refused: ${outcome}`);
        // The re-run went through the export writer, which tidies what killed exports left.
        const present = new Set(readdirSync(options.folder));
        const stale = leftoversBefore.filter((l) => present.has(l));
        if (stale.length > 0) problems.push(`the next export left the killed one's files in place: ${stale.join(', ')}`);
        result.leftoversCleaned += leftoversBefore.length - stale.length;
      } else if (word === 'begin') {
        inFlight = { kind, name };
        begun = true;
      } else if (word === 'done') {
        inFlight = undefined;
        result.exportsCompleted++;
      } else if (word === 'refused') problems.push(`export ${name} was refused: ${outcome}`);
    }, options.maxRunMs);
    const end = await running.closed;
    const killed = end.signal === 'SIGKILL' && !running.timedOut();
    if (running.timedOut()) problems.push(`the session hung (killed after ${options.maxRunMs} ms)`);
    else if (!killed && end.code !== 0) problems.push(`the session failed (exit ${end.code}): ${running.stderr()}`);

    const folder = checkExportFolder(options.folder, options.dataDir, options.fixture.dicomSetSize, validated);
    const own = folder.leftovers.filter((l) => exportLeftover(l)?.pid === running.child.pid);
    if (killed) {
      result.kills++;
      const phase: ExportKillPhase = !begun ? 'start-up' : own.some((l) => l.endsWith('.export-set')) ? 'placing files' : own.length > 0 ? 'writing files' : 'rendering';
      result.killsByPhase[phase]++;
      result.killsByExport[inFlight?.kind ?? 'none']++;
      if (child.killAt) result.killsAtExactPoints[child.killAt]++;
      if (child.holdAt && running.heldAt()) result.killsAtHoldPoints[child.holdAt.point]++;
      options.log?.(`${label}: killed after ${Date.now() - started} ms during ${phase} of ${inFlight?.name ?? 'no export'}${own.length ? ` (left ${own.length} files)` : ''}`);
    } else options.log?.(`${label}: ended by itself after ${Date.now() - started} ms`);
    if ((child.killAt || child.holdAt) && (!killed || (child.holdAt && !running.heldAt()))) {
      problems.push(`the session did not die at its kill point (${child.killAt ?? `${child.holdAt?.point} of export ${child.holdAt?.export}`})`);
    }
    problems.push(...folder.problems, ...checkDataFolder(options.dataDir).problems);
    result.filesChecked = validated.size;
    result.problems.push(...problems.map((p) => `${label}: ${p}`));
    cutOff = killed ? inFlight : undefined;
    leftoversBefore = folder.leftovers;
    return folder;
  };

  // Odd sessions kill themselves at an exact point of a DICOM set export, in turn; even ones hold at a seeded point,
  // each hold point once per block of even rounds.
  const holds = balancedSchedule(HOLD_POINTS, Math.ceil(options.rounds / 2), random);
  for (let round = 0; round < options.rounds; round++) {
    const killAt = round % 2 === 1 ? KILL_POINTS[Math.floor(round / 2) % KILL_POINTS.length] : undefined;
    const holdAt = killAt ? undefined : { point: holds[round / 2] as HoldPoint, export: random.below(EXPORT_KINDS.length) };
    await session(`export round ${round}`, round, { rerun: cutOff, killAt, holdAt, setSize: options.fixture.dicomSetSize });
  }
  // The restart after the last kill: the cut-off export again, one of each kind, then a tidy folder.
  const last = await session('export final session', options.rounds, { rerun: cutOff, exports: EXPORT_KINDS.length });
  if (last.leftovers.length > 0 || last.pendingSets.length > 0) result.problems.push(`after the final session the folder still holds ${[...last.leftovers, ...last.pendingSets].join(', ')}`);
  return result;
}
