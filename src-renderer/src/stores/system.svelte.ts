// System panel state: facts from main, and the self-check job folded from its event stream.
import type { SystemInfo } from '../../../src-preload/contract.ts';
import type { AngioApi } from '../lib/api.ts';

export interface CheckRow {
  name: string;
  ok: boolean;
  detail: string;
}

export class SystemStore {
  private readonly api: AngioApi;
  info = $state<SystemInfo | null>(null);
  error = $state<string | null>(null);
  checks = $state<CheckRow[]>([]);
  progress = $state<{ done: number; total: number } | null>(null);
  checkStatus = $state<'idle' | 'running' | 'succeeded' | 'failed' | 'cancelled'>('idle');
  private jobId: string | null = null;

  constructor(api: AngioApi) {
    this.api = api;
    this.api.on('diagnostics.check', (event) => {
      if (event.jobId === this.jobId) this.checks = [...this.checks, { name: event.name, ok: event.ok, detail: event.detail }];
    });
    this.api.on('job.progress', (event) => {
      if (event.jobId === this.jobId) this.progress = { done: event.done, total: event.total };
    });
    this.api.on('job.finished', (event) => {
      if (event.jobId === this.jobId) this.checkStatus = event.status;
    });
  }

  async refresh(): Promise<void> {
    const result = await this.api.invoke['system.info']({});
    if (result.ok) {
      this.info = result.value;
      this.error = null;
    } else {
      this.error = result.error.message;
    }
  }

  async runSelfCheck(delayMs = 0): Promise<void> {
    this.checks = [];
    this.progress = null;
    this.checkStatus = 'running';
    const result = await this.api.invoke['diagnostics.start']({ delayMs });
    if (result.ok) this.jobId = result.value.jobId;
    else {
      this.checkStatus = 'failed';
      this.error = result.error.message;
    }
  }
}
