// Training as a service of the app: starts runs in a worker thread as jobs (reproducible runs in a worker process,
// forked or an Electron utility process, whose environment pins the CPU kernels), forwards their progress as
// training.progress events, cancels them at the next step, resumes them from their checkpoint, and keeps each
// run's record in the store.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { JobResult } from '../../src-preload/contract.ts';
import type { AppContext } from '../app/index.ts';
import { AppError } from '../ipc/index.ts';
import { rememberModel } from '../inference/index.ts';
import { JobCancelled } from '../jobs/index.ts';
import { requireWorkerEntry, type WorkerLauncher } from '../workers/index.ts';
import { DatasetSourceSchema, TrainingConfigSchema, parseTrainingConfig, type DatasetSource, type TrainingConfig, type TrainingConfigInput } from './config.ts';
import { reproduciblePins } from './cpu-kernels.ts';
import { startLocalRanks } from './local-ranks.ts';
import { preprocessingSpec } from '../preprocessing/index.ts';
import type { RunJob } from './run-job.ts';
import { getRun, insertRun, listRuns, updateRun, type RunRecord } from './runs.ts';
import { padsdSource } from './training-data.ts';
import type { ToTrainer, WorkerMessage } from './worker.ts';

export type TrainingContext = Pick<AppContext, 'store' | 'bus' | 'jobs' | 'dataDir' | 'sharedDataDir' | 'appRoot' | 'log' | 'launchProcess'>;

/** package version + git commit when the sources are a checkout: enough to find the code that made a model. */
export function codeVersion(appRoot: string): string {
  const version = (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: appRoot, encoding: 'utf8' });
  return git.status === 0 ? `${version}+${git.stdout.trim()}` : version;
}

export class TrainingService {
  private readonly ctx: TrainingContext;
  /** runId → jobId of runs executing now. */
  private readonly active = new Map<string, string>();

  constructor(ctx: TrainingContext) {
    this.ctx = ctx;
  }

  start(configInput: TrainingConfigInput, dataset?: DatasetSource): { runId: string; jobId: string } {
    const parsed = TrainingConfigSchema.safeParse(configInput);
    if (!parsed.success) throw new AppError('invalid-config', `The training settings are invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    const config = parsed.data;
    this.refuseUnpinnable(config);
    const source = DatasetSourceSchema.parse(dataset ?? padsdSource(this.ctx.sharedDataDir));
    const runId = randomUUID();
    const runDir = join(this.ctx.dataDir, 'training', runId);
    insertRun(this.ctx.store, { id: runId, config, dataset: source, preprocessingVersion: preprocessingSpec(config.imageSize, config.input).version, codeVersion: codeVersion(this.ctx.appRoot), runDir });
    return { runId, jobId: this.launch(runId, { runDir, config, source, resume: false }) };
  }

  resume(runId: string): { runId: string; jobId: string } {
    const run = this.require(runId);
    if (this.active.has(runId)) throw new AppError('run-active', `Run ${runId} is still running: cancel it before resuming.`);
    if (run.status === 'succeeded') throw new AppError('run-finished', `Run ${runId} already finished: start a new run to train again.`);
    this.refuseUnpinnable(parseTrainingConfig(run.config));
    updateRun(this.ctx.store, runId, { status: 'running' });
    return { runId, jobId: this.launch(runId, { runDir: run.runDir, config: run.config, source: run.dataset, resume: true }) };
  }

  cancel(runId: string): boolean {
    const jobId = this.active.get(runId);
    return jobId === undefined ? false : this.ctx.jobs.cancel(jobId);
  }

  list(): RunRecord[] {
    return listRuns(this.ctx.store);
  }

  get(runId: string): RunRecord {
    return this.require(runId);
  }

  /** Refused before anything is recorded: a host without a process launcher cannot give a run its own process. */
  private refuseUnpinnable(config: TrainingConfig): void {
    if (config.reproducible && !this.ctx.launchProcess) {
      throw new AppError('reproducible-needs-process', 'Reproducible runs train in a process of their own, which this host cannot start: run them with `npm run experiment`, or set "reproducible": false.');
    }
    if (config.processes > 1 && !this.ctx.launchProcess) {
      throw new AppError('processes-need-launcher', `Training with ${config.processes} processes starts one process per rank, which this host cannot do: use \`npx angio train <job.json> --local-ranks ${config.processes}\`, or set "processes": 1.`);
    }
    if (config.batchSize % config.processes !== 0 || config.batchSize / config.processes < 2) {
      throw new AppError('invalid-config', `The batch of ${config.batchSize} images does not split into ${config.processes} equal rank batches of at least 2: choose a batch size that is a multiple of ${config.processes}.`);
    }
  }

  private require(runId: string): RunRecord {
    const run = getRun(this.ctx.store, runId);
    if (!run) throw new AppError('run-not-found', `No training run ${runId} is recorded: pick one from the run list.`);
    return run;
  }

  private launch(runId: string, job: RunJob): string {
    const { store, bus } = this.ctx;
    return this.ctx.jobs.start('training', (jobCtx) =>
      new Promise<JobResult<'training'>>((resolve, reject) => {
        this.active.set(runId, jobCtx.jobId);
        const worker = startTrainingInWorker(job, this.ctx.launchProcess);
        let settled = false;
        const settle = (outcome: () => void) => {
          if (settled) return;
          settled = true;
          this.active.delete(runId);
          jobCtx.signal.removeEventListener('abort', onAbort);
          outcome();
        };
        const fail = (code: string, message: string) => {
          if (settled) return; // the worker's exit after its result is the normal end, not a failure
          updateRun(store, runId, { status: 'failed', error: { code, message } });
          settle(() => reject(new AppError(code, message)));
        };
        const onAbort = () => worker.postMessage({ type: 'cancel' });
        jobCtx.signal.addEventListener('abort', onAbort);
        worker.on('message', (message: WorkerMessage) => {
          if (message.type === 'progress') {
            const p = message.progress;
            bus.emit('training.progress', { runId, jobId: jobCtx.jobId, ...p });
            jobCtx.progress(`${p.stage} ${p.epoch}/${p.epochs}`, p.step, p.stepsInEpoch);
          } else if (message.type === 'result') {
            const { result } = message;
            const files = Object.fromEntries(Object.entries(result.files).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
            if (result.status === 'cancelled') {
              updateRun(store, runId, { status: 'cancelled', files, machine: result.machine });
              settle(() => reject(new JobCancelled()));
            } else {
              updateRun(store, runId, { status: 'succeeded', metrics: result.metrics, files, machine: result.machine });
              if (result.files.inferenceModel) rememberModel(store, result.files.inferenceModel);
              // The metrics as the run record keeps them: an AUC a missing class makes NaN reads back as null.
              settle(() => resolve({ runId, metrics: getRun(store, runId)?.metrics ?? null }));
            }
            worker.stop();
          } else {
            fail(message.error.code, message.error.message);
            worker.stop();
          }
        });
        worker.on('error', (error) => fail('training-worker-failed', `The training worker failed: ${error.message}`));
        worker.on('exit', (code) => fail('training-worker-exited', `The training worker stopped unexpectedly (exit ${code}): resume the run from its last checkpoint.`));
      }),
    );
  }
}

/** What the service needs of a training worker, thread or process. */
interface Trainer {
  postMessage(message: ToTrainer): void;
  on(event: 'message', listener: (message: WorkerMessage) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number | null) => void): void;
  /** Ends it after its last message: a utility process does not exit by itself. */
  stop(): void;
}

/**
 * A worker thread, or for a reproducible run a worker process from the host's launcher (fork, or Electron's
 * utilityProcess): the kernel pins must be in the environment before libtorch loads, and this process has loaded
 * it already (or will, for inference) without them.
 */
function startTrainingInWorker(job: RunJob, launch: WorkerLauncher | undefined): Trainer {
  const entry = requireWorkerEntry(import.meta.url, './worker.ts', 'training-worker');
  const config = parseTrainingConfig(job.config);
  if (config.processes > 1 && launch) {
    return startLocalRanks(job, config.processes, launch, fileURLToPath(entry), config.reproducible ? reproduciblePins(config.threads) : undefined) as Trainer;
  }
  if (!config.reproducible || !launch) {
    const thread = new Worker(entry, { workerData: job });
    return Object.assign(thread, { stop: () => void thread.terminate() });
  }
  const child = launch<ToTrainer, WorkerMessage>(fileURLToPath(entry), 'angio-training', reproduciblePins(config.threads));
  child.postMessage({ type: 'start', job });
  return {
    postMessage: (message) => child.postMessage(message),
    on: (event: string, listener: (...args: never[]) => void) => {
      if (event === 'message') child.onMessage(listener as (message: WorkerMessage) => void);
      else if (event === 'exit') child.onExit(listener as (code: number | null) => void);
    },
    stop: () => child.kill(),
  };
}
