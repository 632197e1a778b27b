// Kill -9 the app while it trains, at seeded points counted in the run's own units: the k-th checkpoint or model
// write, an exact system call of an engine-file write (strace), and the n-th epoch of a session, where the app holds
// for the kill. Then restart it and check after every kill: the catalog passes the store check, every run file on
// disk reads back whole, the run list shows the killed run as interrupted, resuming it goes on from the last complete
// checkpoint, and a run that finishes after any number of kills ends with the metrics and epoch history of one that
// was never interrupted (deterministic training: same seed, same numbers).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { seededRandom, type SeededRandom } from '../../../src-main/random/seeded-random.ts';
import { CATALOG_FILE } from '../../../src-main/store/database.ts';
import type { TrainingConfigInput } from '../../../src-main/training/config.ts';
import { RUN_FILES, type TrainingResult } from '../../../src-main/training/driver.ts';
import { INTERRUPTED } from '../../../src-main/training/runs.ts';
import { checkDataFolder } from '../store-consistency.ts';
import { startChildSession, zeroCounts } from './child-session.ts';
import { runFilesChecker, temporaryFiles, type RunFilesChecker } from './run-files.ts';

/** 'model or record write': best.pt, model.pt, run.json or result.json was being written. */
export const TRAINING_KILL_PHASES = ['start-up', 'training', 'checkpoint write', 'model or record write'] as const;
export type TrainingKillPhase = (typeof TRAINING_KILL_PHASES)[number];

export interface TrainingCrashOptions {
  seed: number;
  rounds: number;
  dataDir: string;
  config: TrainingConfigInput;
  /** Longest a child may run before it counts as hung. */
  maxRunMs: number;
  /** Train one run without a kill first: every run finished after kills must match it. */
  baseline?: boolean;
  log?: (line: string) => void;
}

export interface TrainingCrashResult {
  kills: number;
  killsByPhase: Record<TrainingKillPhase, number>;
  /** Kills strace made at an exact point of a checkpoint write. */
  killsAtExactPoints: Record<ExactTrainingPoint, number>;
  /** Kills where the session held for them after one of its epochs. */
  killsAfterEpochs: number;
  /** Kills that left a half-written temporary file (checkpoint.pt.tmp, best.pt.tmp, …) behind. */
  tornWrites: number;
  resumes: number;
  runsCompleted: number;
  /** Aimed kills that came too late: the run finished first. */
  finishedBeforeKill: number;
  problems: string[];
}

/**
 * Exact kill points inside the first engine-file write of a resumed session (checkpoint, best or final model), made
 * by strace's fault injection (SIGKILL on entry to the system call on its temporary file): the temporary file
 * created but empty, written but not synced, synced but not renamed.
 */
const EXACT_POINTS = { 'temp created': 'write,writev,pwrite64', 'temp written': 'fsync,fdatasync', 'temp synced': 'rename,renameat,renameat2' } as const;
export type ExactTrainingPoint = keyof typeof EXACT_POINTS;

/**
 * Where a round's kill is aimed: as the k-th write of one of `files` appears (the folder watch can see a fast write
 * only once it is renamed: `orAfterEpochs` then holds the session after that epoch instead), at an exact point, or
 * where the session holds after its n-th epoch (or the run's last).
 */
type KillPlan = { files: string[]; occurrence: number; orAfterEpochs?: number } | { exact: ExactTrainingPoint } | { afterEpochs: number };

/** Whether strace can kill a process at a system call here (installed, and ptrace allowed). */
export function faultInjectionWorks(): boolean {
  const probe = spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', '-e', 'trace=fsync', '-e', 'inject=fsync:signal=KILL:when=1', process.execPath, '-e', "require('fs').fsyncSync(1)"], { stdio: 'ignore' });
  return probe.signal === 'SIGKILL';
}

function planKill(round: number, random: SeededRandom, exactPossible: boolean): KillPlan {
  const exact = Object.keys(EXACT_POINTS) as ExactTrainingPoint[];
  switch (round % 4) {
    case 0: {
      // Each epoch ends with its checkpoint, then its progress event: the k-th event comes right after the k-th write.
      const occurrence = 1 + random.below(3);
      return { files: ['checkpoint.pt.tmp'], occurrence, orAfterEpochs: occurrence };
    }
    case 1: return exactPossible ? { exact: exact[Math.floor(round / 4) % exact.length] as ExactTrainingPoint } : { afterEpochs: 1 + random.below(3) };
    case 2: return { afterEpochs: 1 + random.below(3) };
    default: return { files: ['best.pt.tmp', 'model.pt.tmp'], occurrence: 1 + random.below(2) };
  }
}

/** Temporary files in a run folder with their modification times. */
function temporaryStamps(runDir: string | null): Map<string, number> {
  return new Map((runDir ? temporaryFiles(runDir) : []).map((name) => [name, statSync(join(runDir as string, name)).mtimeMs]));
}

interface ChildOutcome {
  killed: boolean;
  /** The session held for the kill (after an epoch). */
  held: boolean;
  phase: TrainingKillPhase;
  runDir: string | null;
  /** Temporary files the session left. */
  temps: string[];
  statusBefore: string[] | null;
  finished: string | null;
  failure: string | null;
}

/** One app session: start (or resume) the run and kill it as planned (null: let it finish). */
async function trainingSession(options: TrainingCrashOptions, resume: { id: string; runDir: string } | null, plan: KillPlan | null): Promise<ChildOutcome> {
  let runDir = resume?.runDir ?? null;
  const before = temporaryStamps(runDir);
  let watcher: FSWatcher | null = null;
  let writes = 0;
  let progressEvents = 0;
  let statusBefore: string[] | null = null;
  let finished: string | null = null;
  const watchWrites = (dir: string) => {
    if (!plan || !('files' in plan) || watcher) return;
    mkdirSync(dir, { recursive: true }); // the worker creates it too; watching must start before its first write
    watcher = watch(dir, (event, name) => {
      if (event !== 'rename' || !plan.files.includes(String(name)) || !existsSync(join(dir, String(name)))) return;
      if (++writes === plan.occurrence) session.kill();
    });
  };
  // Only a resumed session's folder is known before it starts (strace needs the paths).
  const calls = plan && 'exact' in plan && runDir ? EXACT_POINTS[plan.exact] : null;
  const paths = [RUN_FILES.checkpoint, RUN_FILES.best, RUN_FILES.model].flatMap((name) => ['-P', join(runDir ?? '', `${name}.tmp`)]);
  const wrap = calls ? ['strace', '-f', '-qq', '-o', '/dev/null', '-e', `trace=${calls}`, '-e', `inject=${calls}:signal=KILL:when=1`, ...paths] : [];
  const afterEpochs = plan && 'afterEpochs' in plan ? plan.afterEpochs : plan && 'files' in plan ? plan.orAfterEpochs : undefined;
  const hold = afterEpochs === undefined ? [] : [String(afterEpochs)];
  const session = startChildSession('train-child.ts', [options.dataDir, JSON.stringify(options.config), resume?.id ?? 'start', ...hold], (line) => {
    const [word, ...rest] = line.split(' ');
    if (word === 'status') statusBefore = rest.slice(1);
    else if (word === 'run') watchWrites((runDir = rest[1] as string));
    else if (word === 'progress') progressEvents++;
    else if (word === 'finished') finished = rest.join(' ');
  }, options.maxRunMs, wrap);
  if (runDir) watchWrites(runDir);
  const end = await session.closed;
  (watcher as FSWatcher | null)?.close();
  // Only temporary files this session wrote say what it was doing (an earlier kill's stay until the run restarts).
  const temps = [...temporaryStamps(runDir)].filter(([name, stamp]) => before.get(name) !== stamp).map(([name]) => name);
  const phase: TrainingKillPhase = temps.includes('checkpoint.pt.tmp') ? 'checkpoint write' : temps.length > 0 ? 'model or record write' : progressEvents === 0 ? 'start-up' : 'training';
  const failure = session.timedOut() ? `the session hung (killed after ${options.maxRunMs} ms)` : end.signal !== 'SIGKILL' && end.code !== 0 ? `the session failed (exit ${end.code}): ${session.stderr()}` : null;
  return { killed: end.signal === 'SIGKILL', held: session.heldAt() !== null, phase, runDir, temps, statusBefore, finished, failure };
}

/** The newest run the catalog holds that has not succeeded: the one to resume after a kill. */
function unfinishedRun(dataDir: string): { id: string; runDir: string } | null {
  if (!existsSync(join(dataDir, CATALOG_FILE))) return null;
  const db = new DatabaseSync(join(dataDir, CATALOG_FILE), { readOnly: true });
  try {
    const row = db.prepare('SELECT id, status, run_dir AS runDir FROM training_runs ORDER BY created_at DESC, rowid DESC LIMIT 1').get() as { id: string; status: string; runDir: string } | undefined;
    return row && row.status !== 'succeeded' ? { id: row.id, runDir: row.runDir } : null;
  } finally {
    db.close();
  }
}

function recordedFiles(dataDir: string, runDir: string): Record<string, string> | null {
  const db = new DatabaseSync(join(dataDir, CATALOG_FILE), { readOnly: true });
  try {
    const row = db.prepare('SELECT files_json AS files FROM training_runs WHERE run_dir = ?').get(runDir) as { files: string | null } | undefined;
    return row?.files ? (JSON.parse(row.files) as Record<string, string>) : null;
  } finally {
    db.close();
  }
}

/** What must not depend on kills: the test metrics and every epoch's loss and AUCs (not its duration). */
function outcomeOf(runDir: string): string {
  const result = JSON.parse(readFileSync(join(runDir, RUN_FILES.result), 'utf8')) as TrainingResult;
  return JSON.stringify({ metrics: result.metrics, history: result.history.map(({ seconds: _s, ...epoch }) => epoch) });
}

export async function runTrainingCrashRounds(options: TrainingCrashOptions): Promise<TrainingCrashResult> {
  const random = seededRandom(options.seed);
  const checkFiles: RunFilesChecker = runFilesChecker(options.config);
  const result: TrainingCrashResult = {
    kills: 0, killsByPhase: zeroCounts(TRAINING_KILL_PHASES), killsAtExactPoints: zeroCounts(Object.keys(EXACT_POINTS) as ExactTrainingPoint[]),
    killsAfterEpochs: 0, tornWrites: 0, resumes: 0, runsCompleted: 0, finishedBeforeKill: 0, problems: [],
  };
  const exactPossible = faultInjectionWorks();
  if (!exactPossible) options.log?.('strace cannot inject faults here: the exact-point rounds hold after an epoch instead');
  let reference: string | null = null;
  let lastKilledRun: string | null = null;

  const session = async (label: string, planFor: ((resuming: boolean) => KillPlan) | null) => {
    const resume = unfinishedRun(options.dataDir);
    const plan = planFor ? planFor(resume !== null) : null;
    if (resume) result.resumes++;
    const started = Date.now();
    const outcome = await trainingSession(options, resume, plan);
    const problems: string[] = [];
    if (outcome.failure) problems.push(outcome.failure);
    // After a kill the restarted app must show the run as interrupted (resumable), not as still running.
    if (resume && outcome.statusBefore && outcome.statusBefore.join(' ') !== `failed ${INTERRUPTED.code}`) problems.push(`the killed run was listed as '${outcome.statusBefore.join(' ')}' after the restart`);
    lastKilledRun = outcome.killed ? (outcome.runDir ?? null) : null;
    if (outcome.killed) {
      result.kills++;
      result.killsByPhase[outcome.phase]++;
      if (outcome.temps.length > 0) result.tornWrites++;
      if (plan && 'exact' in plan) result.killsAtExactPoints[plan.exact]++;
      if (outcome.held) result.killsAfterEpochs++;
    } else if (plan) result.finishedBeforeKill++;
    problems.push(...checkDataFolder(options.dataDir).problems);
    if (outcome.runDir) problems.push(...(await checkFiles(outcome.runDir, outcome.killed ? null : recordedFiles(options.dataDir, outcome.runDir))));
    if (!outcome.killed && outcome.finished !== 'succeeded -') problems.push(`the run ended '${outcome.finished}' instead of succeeding`);
    if (!outcome.killed && outcome.runDir && outcome.finished === 'succeeded -') {
      result.runsCompleted++;
      const temps = temporaryFiles(outcome.runDir);
      if (temps.length > 0) problems.push(`the finished run left temporary files: ${temps.join(', ')}`);
      const finishedWith = outcomeOf(outcome.runDir);
      if (reference === null) reference = finishedWith;
      else if (finishedWith !== reference) problems.push(`the run finished after kills differs from the uninterrupted one: ${finishedWith} vs ${reference}`);
    }
    result.problems.push(...problems.map((p) => `${label}: ${p}`));
    options.log?.(`${label}: ${outcome.killed ? `killed during ${outcome.phase}${outcome.held ? ' (held after an epoch)' : ''}` : `ran to the end (${outcome.finished})`} after ${Date.now() - started} ms${resume ? ', resumed' : ''}${problems.length ? `; ${problems.length} problems` : ''}`);
  };

  if (options.baseline) await session('training baseline', null);
  for (let round = 0; round < options.rounds; round++) await session(`training round ${round}`, (resuming) => planKill(round, random, exactPossible && resuming));
  // The restart after the last kill finishes the run, unless the kill came after the run had recorded its success
  // (then it is finished all the same and must match the uninterrupted run).
  if (unfinishedRun(options.dataDir)) await session('training final resume', null);
  else if (lastKilledRun !== null && reference !== null) {
    result.runsCompleted++;
    let finishedWith: string;
    try {
      finishedWith = outcomeOf(lastKilledRun);
    } catch (error) {
      finishedWith = `no readable result (${(error as Error).message})`;
    }
    if (finishedWith !== reference) result.problems.push(`the run killed after recording its success differs from the uninterrupted one: ${finishedWith} vs ${reference}`);
  }
  for (const run of existsSync(join(options.dataDir, 'training')) ? readdirSync(join(options.dataDir, 'training')) : []) {
    const temps = temporaryFiles(join(options.dataDir, 'training', run));
    if (temps.length > 0) result.problems.push(`run ${run} kept temporary files after finishing: ${temps.join(', ')}`);
  }
  return result;
}
