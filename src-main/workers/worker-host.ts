// Heavy jobs (training, batch inference, import) run in their own process so main's event loop, and with it the
// window, never stalls. A job here is an ordinary JobRunner job (same progress/finished events, same cancel), whose
// body lives in a worker process. A worker that dies (crash, abort, out of memory) fails its job with the code
// `worker-crashed`; `restart(jobId)` runs the same job spec again as a new job.
import { AppError } from '../ipc/index.ts';
import type { JobContext, JobRunner } from '../jobs/index.ts';
import type { WorkerLauncher, WorkerProcess } from './worker-protocol.ts';

export interface WorkerJobSpec {
  /** Job kind in job.progress / job.finished events (see WORKER_JOB_KINDS). */
  kind: string;
  /** The worker module (built file in the app, .ts under Node) that calls serveWorkerJob. */
  entry: string;
  /** Structured-clone input handed to the worker's body. */
  input: unknown;
}

export interface WorkerJobsOptions {
  /** How long a cancelled worker may take to stop by itself before it is killed. */
  cancelGraceMs?: number;
  /** How many finished specs are remembered for restart. */
  remember?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export class WorkerJobs {
  private readonly jobs: JobRunner;
  private readonly launch: WorkerLauncher;
  private readonly cancelGraceMs: number;
  private readonly remember: number;
  private readonly log: NonNullable<WorkerJobsOptions['log']>;
  private readonly specs = new Map<string, WorkerJobSpec>();
  private readonly processes = new Map<string, WorkerProcess>();

  constructor(jobs: JobRunner, launch: WorkerLauncher, options: WorkerJobsOptions = {}) {
    this.jobs = jobs;
    this.launch = launch;
    this.cancelGraceMs = options.cancelGraceMs ?? 2_000;
    this.remember = options.remember ?? 100;
    this.log = options.log ?? (() => undefined);
  }

  start(spec: WorkerJobSpec): string {
    const jobId = this.jobs.start(spec.kind, (job) => this.run(spec, job));
    this.specs.set(jobId, spec);
    while (this.specs.size > this.remember) this.specs.delete(this.specs.keys().next().value as string);
    return jobId;
  }

  /** Runs a finished (typically crashed) job again; the new job gets a new id. */
  restart(jobId: string): string {
    const spec = this.specs.get(jobId);
    if (!spec) throw new AppError('unknown-job', `Job ${jobId} cannot be restarted: it is not one of the last ${this.remember} worker jobs. Start it again from its screen.`);
    if (this.processes.has(jobId)) throw new AppError('job-running', `Job ${jobId} is still running; cancel it before restarting it.`);
    return this.start(spec);
  }

  /** Worker processes currently alive, by job id (for the system panel and tests). */
  get running(): ReadonlyMap<string, number | undefined> {
    return new Map([...this.processes].map(([jobId, worker]) => [jobId, worker.pid]));
  }

  private run(spec: WorkerJobSpec, job: JobContext): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const worker = this.launch(spec.entry, `angio-${spec.kind}`);
      this.processes.set(job.jobId, worker);
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        this.processes.delete(job.jobId);
        job.signal.removeEventListener('abort', onAbort);
        outcome();
      };
      const onAbort = () => {
        worker.postMessage({ type: 'cancel' });
        setTimeout(() => worker.kill(), this.cancelGraceMs).unref();
      };
      job.signal.addEventListener('abort', onAbort, { once: true });

      worker.onMessage((message) => {
        if (message.type === 'progress') job.progress(message.stage, message.done, message.total, message.message);
        else if (message.type === 'result') settle(() => resolve(message.value));
        else if (message.type === 'error') settle(() => reject(new AppError(message.error.code, message.error.message, message.error.details)));
        if (message.type !== 'progress') worker.kill();
      });
      worker.onExit((code, signal) => {
        settle(() => {
          if (job.signal.aborted) return reject(new AppError('cancelled', 'cancelled by the user'));
          const how = signal ? `signal ${signal}` : `exit code ${code}`;
          this.log('error', `${spec.kind} worker (pid ${worker.pid}) for job ${job.jobId} stopped unexpectedly: ${how}`);
          reject(new AppError('worker-crashed', `The ${spec.kind} worker stopped unexpectedly (${how}). Nothing was lost from the catalog; restart the job, and if it stops again send the log file to support.`, { kind: spec.kind, code, signal }));
        });
      });
      worker.postMessage({ type: 'start', input: spec.input });
    });
  }
}
