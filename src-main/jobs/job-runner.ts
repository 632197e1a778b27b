// Long work (import, training, scans) runs as jobs: each gets an id, reports progress with an ETA as events,
// can be cancelled through an AbortSignal, and ends with exactly one job.finished event.
import { randomUUID } from 'node:crypto';
import { JobFinishedSchema, type JobKind, type JobResult, TransportErrorCode } from '../../src-preload/contract.ts';
import { AppError, type EventBus, issueDetails, toIpcError } from '../ipc/index.ts';

export interface JobContext {
  readonly jobId: string;
  readonly signal: AbortSignal;
  progress(stage: string, done: number, total: number, message?: string): void;
  /** Throws an AbortError-like AppError when the job was cancelled; call between units of work. */
  throwIfCancelled(): void;
}

export type JobBody<T> = (ctx: JobContext) => Promise<T>;

export class JobCancelled extends Error {
  constructor() {
    super('cancelled by the user');
    this.name = 'JobCancelled';
  }
}

interface RunningJob {
  controller: AbortController;
  done: Promise<void>;
}

export interface JobOptions {
  /** Keep the body so `restart` can run it again as a new job (a crashed import: the body resumes its folder). */
  restartable?: boolean;
}

/** How many restartable jobs are remembered. */
const REMEMBERED = 100;

export class JobRunner {
  private readonly running = new Map<string, RunningJob>();
  private readonly restartable = new Map<string, { kind: string; body: JobBody<unknown> }>();
  private readonly bus: EventBus;
  private readonly now: () => number;

  constructor(bus: EventBus, now: () => number = Date.now) {
    this.bus = bus;
    this.now = now;
  }

  /** A kind the contract lists must produce its declared result (checked here by the type checker, and at run time
   * before job.finished leaves); another kind's result is only checked to be JSON. */
  start<K extends string>(kind: K, body: JobBody<K extends JobKind ? JobResult<K> : unknown>, options: JobOptions = {}): string {
    const jobId = randomUUID();
    if (options.restartable) {
      this.restartable.set(jobId, { kind, body });
      while (this.restartable.size > REMEMBERED) this.restartable.delete(this.restartable.keys().next().value as string);
    }
    const controller = new AbortController();
    const startedAt = this.now();
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      progress: (stage, done, total, message) => {
        const elapsed = (this.now() - startedAt) / 1000;
        const etaSeconds = done > 0 && total > done ? (elapsed / done) * (total - done) : null;
        this.bus.emit('job.progress', { jobId, kind, stage, done, total, message, etaSeconds });
      },
      throwIfCancelled: () => {
        if (controller.signal.aborted) throw new JobCancelled();
      },
    };
    const done = (async () => {
      // Start on the next turn of the event loop, so the caller hands out the jobId before any event names it.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        const result = await body(ctx);
        // A result that breaks its kind's schema is main's fault: the job fails as an invoke's malformed answer does.
        const finished = JobFinishedSchema.safeParse({ jobId, kind, status: 'succeeded', result });
        if (finished.success) this.bus.emit('job.finished', finished.data);
        else this.bus.emit('job.finished', { jobId, kind, status: 'failed', error: { code: TransportErrorCode.invalidOutput, message: `Main produced a malformed result for the ${kind} job`, details: issueDetails(finished.error.issues) } });
      } catch (error) {
        if (error instanceof JobCancelled || controller.signal.aborted) {
          this.bus.emit('job.finished', { jobId, kind, status: 'cancelled' });
        } else {
          this.bus.emit('job.finished', { jobId, kind, status: 'failed', error: toIpcError(error) });
        }
      } finally {
        this.running.delete(jobId);
      }
    })();
    this.running.set(jobId, { controller, done });
    return jobId;
  }

  /** Runs a finished restartable job's body again as a new job; its id is returned. */
  restart(jobId: string): string {
    const job = this.restartable.get(jobId);
    if (!job) throw new AppError('job-not-restartable', `Job ${jobId} cannot be restarted: only the last ${REMEMBERED} imports can. Start it again from its screen.`);
    if (this.running.has(jobId)) throw new AppError('job-running', `Job ${jobId} is still running; cancel it before restarting it.`);
    this.restartable.delete(jobId);
    return this.start(job.kind, job.body, { restartable: true });
  }

  cancel(jobId: string): boolean {
    const job = this.running.get(jobId);
    if (!job) return false;
    job.controller.abort();
    return true;
  }

  /** Waits for every running job to end (used on shutdown and in tests). */
  async drain(): Promise<void> {
    await Promise.all([...this.running.values()].map((job) => job.done));
  }

  get activeCount(): number {
    return this.running.size;
  }
}
