// One long job as a panel draws it: started through a channel that answers a job id, followed through job.progress
// and job.finished, cancelled through jobs.cancel. Events that overtake the start answer are replayed once the id
// is known (main starts the job before it answers).
import { jobResult, type EventPayload, type JobKind, type JobResult, type Result } from '../../../src-preload/contract.ts';
import type { AngioApi } from '../lib/api.ts';

export type JobStatus = 'idle' | 'starting' | 'running' | 'succeeded' | 'failed' | 'cancelled';
type JobEvent = { type: 'progress'; event: EventPayload<'job.progress'> } | { type: 'finished'; event: EventPayload<'job.finished'> };

/** Follows a job of `kind`: its result is that kind's, as the contract declares it. */
export class JobWatch<K extends JobKind> {
  private readonly api: AngioApi;
  private readonly kind: K;
  jobId = $state<string | null>(null);
  status = $state<JobStatus>('idle');
  done = $state(0);
  total = $state(0);
  /** What the job said last (the file or study it is on). */
  message = $state<string | null>(null);
  error = $state<string | null>(null);
  result = $state.raw<JobResult<K> | null>(null);
  /** Called once the job has ended, whatever the outcome. */
  onFinished: ((status: JobStatus, result: JobResult<K> | null) => void) | null = null;
  private early: JobEvent[] = [];

  constructor(api: AngioApi, kind: K) {
    this.api = api;
    this.kind = kind;
    this.api.on('job.progress', (event) => this.route({ type: 'progress', event }));
    this.api.on('job.finished', (event) => this.route({ type: 'finished', event }));
  }

  get running(): boolean {
    return this.status === 'starting' || this.status === 'running';
  }

  get finished(): boolean {
    return this.status === 'succeeded' || this.status === 'failed' || this.status === 'cancelled';
  }

  private route(item: JobEvent): void {
    if (this.status === 'starting') this.early.push(item);
    else if (item.event.jobId === this.jobId) this.apply(item);
  }

  private apply(item: JobEvent): void {
    if (item.type === 'progress') {
      if (this.status !== 'running') return;
      this.done = item.event.done;
      this.total = item.event.total;
      this.message = item.event.message ?? this.message;
      return;
    }
    this.status = item.event.status;
    this.error = item.event.error?.message ?? null;
    this.result = jobResult(item.event, this.kind);
    this.onFinished?.(this.status, this.result);
  }

  /** Starts the job through `request`; false (with `error` set) when main refused to start it. */
  async start(request: () => Promise<Result<{ jobId: string }>>): Promise<boolean> {
    if (this.running) return false;
    this.clear('starting');
    const answer = await request();
    if (!answer.ok) {
      this.status = 'failed';
      this.error = answer.error.message;
      this.early = [];
      return false;
    }
    this.jobId = answer.value.jobId;
    this.status = 'running';
    for (const item of this.early.splice(0)) if (item.event.jobId === this.jobId) this.apply(item);
    return true;
  }

  async cancel(): Promise<void> {
    if (!this.jobId || this.status !== 'running') return;
    const answer = await this.api.invoke['jobs.cancel']({ jobId: this.jobId });
    if (!answer.ok) this.error = answer.error.message;
  }

  reset(): void {
    if (!this.running) this.clear('idle');
  }

  private clear(status: 'idle' | 'starting'): void {
    this.jobId = null;
    this.status = status;
    this.done = 0;
    this.total = 0;
    this.message = null;
    this.error = null;
    this.result = null;
    this.early = [];
  }
}
