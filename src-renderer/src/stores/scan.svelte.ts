// Full-frame scanning: the sliding-window heatmap of one frame (fetched as the user steps, kept per frame and
// setting) and the scan of a whole run as a job with progress and cancel, whose per-frame top regions outline
// each frame as the run plays or is stepped through.
import { SvelteMap } from 'svelte/reactivity';
import { jobResult, type EventPayload, type JobResult } from '../../../src-preload/contract.ts';
import type { AngioApi } from '../lib/api.ts';
import { mapOverlay, type MapOverlay } from '../lib/map-overlay.ts';
import type { ModelChoice } from './model-choice.svelte.ts';

export type CineScan = JobResult<'inference.scanCine'>;

export interface RunScan {
  instanceId: number;
  modelPath: string;
  patchSize: number;
  stride: number;
  jobId: string | null;
  status: 'starting' | 'running' | 'succeeded' | 'cancelled' | 'failed';
  done: number;
  total: number;
  result: CineScan | null;
}

/** Heatmaps kept in memory: a 512² map is 1 MB of RGBA, a 1024² one 4 MB. */
const CACHE_LIMIT = 48;

export class ScanStore {
  private readonly api: AngioApi;
  patchSize = $state(64);
  stride = $state(32);
  /** Scan each frame the user steps to (not while playing). */
  follow = $state(true);
  scanning = $state.raw<{ instanceId: number; frame: number } | null>(null);
  run = $state.raw<RunScan | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  private readonly maps = new SvelteMap<string, MapOverlay>();
  private readonly model: ModelChoice;
  private wanted: { instanceId: number; frame: number } | null = null;
  /** A scanFrame loop is working through the wished-for frames. */
  private following = false;
  private early: (EventPayload<'job.progress'> | EventPayload<'job.finished'>)[] = [];

  constructor(api: AngioApi, model: ModelChoice) {
    this.api = api;
    this.model = model;
    this.api.on('job.progress', (event) => this.onJobEvent(event));
    this.api.on('job.finished', (event) => this.onJobEvent(event));
  }

  /** Why the window settings cannot be used, as a sentence; null when they can. */
  get settingsProblem(): string | null {
    const { patchSize: p, stride: s } = this;
    if (!Number.isInteger(p) || p < 8 || p > 1024) return 'The window must be a whole number of pixels from 8 to 1024.';
    if (!Number.isInteger(s) || s < 1 || s > p) return `The step must be a whole number of pixels from 1 to the window size (${p}).`;
    return null;
  }

  private key(instanceId: number, frame: number): string {
    return `${this.model.summary?.path ?? ''}|${instanceId}|${frame}|${this.patchSize}|${this.stride}`;
  }

  /** The heatmap of that frame with the current model and settings, if scanned. */
  heatmapFor(instanceId: number, frame: number): MapOverlay | null {
    return this.maps.get(this.key(instanceId, frame)) ?? null;
  }

  /** Scans a frame (at once, or after the scan in flight: only the latest wish is kept). */
  async scanFrame(instanceId: number, frame: number): Promise<void> {
    this.wanted = { instanceId, frame };
    // Set at once, not when the request leaves: steps made while the model loads must not start scans of their own.
    if (this.following) return;
    this.following = true;
    try {
      while (this.wanted) {
        const next = this.wanted;
        this.wanted = null;
        if (!this.heatmapFor(next.instanceId, next.frame)) await this.fetchHeatmap(next.instanceId, next.frame);
      }
    } finally {
      this.following = false;
    }
  }

  private async fetchHeatmap(instanceId: number, frame: number): Promise<void> {
    if (this.settingsProblem) return void (this.error = this.settingsProblem);
    const summary = await this.model.load();
    if (!summary) return void (this.error = this.model.error);
    const key = this.key(instanceId, frame);
    this.scanning = { instanceId, frame };
    const answer = await this.api.pixels['inference.heatmap']({ modelPath: summary.path, instanceId, frame, patchSize: this.patchSize, stride: this.stride, format: 'rgba8' });
    this.scanning = null;
    if (!answer.ok) return void (this.error = `Frame ${frame + 1} could not be scanned. ${answer.error.message}`);
    this.error = null;
    const { meta } = answer.value;
    this.maps.set(key, mapOverlay('heatmap', { instanceId, frame }, meta, answer.value.data, { probability: meta.maxProbability, regions: meta.regions }));
    if (this.maps.size > CACHE_LIMIT) this.maps.delete(this.maps.keys().next().value!);
  }

  /** Stops following steps: the frame being scanned finishes, the ones wished for after it are dropped. */
  forgetWanted(): void {
    this.wanted = null;
  }

  get runActive(): boolean {
    return this.run?.status === 'starting' || this.run?.status === 'running';
  }

  /** Scans every frame of the run as a job; its progress and result arrive as job events. */
  async scanRun(instanceId: number): Promise<void> {
    if (this.runActive) return;
    if (this.settingsProblem) return void (this.error = this.settingsProblem);
    const summary = await this.model.load();
    if (!summary) return void (this.error = this.model.error);
    const settings = { patchSize: this.patchSize, stride: this.stride };
    this.error = null;
    this.notice = null;
    this.run = { instanceId, modelPath: summary.path, ...settings, jobId: null, status: 'starting', done: 0, total: 0, result: null };
    const answer = await this.api.invoke['inference.scanCine']({ modelPath: summary.path, instanceId, ...settings });
    if (!answer.ok) {
      this.early = [];
      this.run = { ...this.run, status: 'failed' };
      return void (this.error = `The run could not be scanned. ${answer.error.message}`);
    }
    this.run = { ...this.run, jobId: answer.value.jobId, status: 'running' };
    for (const event of this.early.splice(0)) this.onJobEvent(event);
  }

  async cancelRun(): Promise<void> {
    const jobId = this.run?.jobId;
    if (!jobId || this.run?.status !== 'running') return;
    const answer = await this.api.invoke['jobs.cancel']({ jobId });
    if (!answer.ok) this.error = `The run scan could not be stopped. ${answer.error.message}`;
  }

  private onJobEvent(event: EventPayload<'job.progress'> | EventPayload<'job.finished'>): void {
    const run = this.run;
    if (!run) return;
    // Events can overtake the answer that names the job: hold them until the id is known.
    if (run.status === 'starting') return void this.early.push(event);
    if (event.jobId !== run.jobId) return;
    if ('done' in event) return void (this.run = { ...run, done: event.done, total: event.total });
    if (event.status === 'succeeded') {
      // The API checked the event against the contract; a succeeded scan without its result is still possible.
      const result = jobResult(event, 'inference.scanCine');
      if (!result) return void ((this.run = { ...run, status: 'failed' }), (this.error = 'The run scan finished, but its result was unreadable. Scan the run again.'));
      const peak = result.frames[result.peakFrame];
      this.run = { ...run, status: 'succeeded', done: result.frames.length, total: result.frames.length, result };
      this.notice = `All ${result.frames.length} frames scanned. The highest window score, ${peak?.maxProbability.toFixed(2) ?? '—'}, is on frame ${result.peakFrame + 1}.`;
    } else if (event.status === 'cancelled') {
      this.run = { ...run, status: 'cancelled' };
      this.notice = `The run scan was stopped after ${run.done} of ${run.total || '?'} frames. Scan the run again to finish it.`;
    } else {
      this.run = { ...run, status: 'failed' };
      this.error = `The run scan failed. ${event.error?.message ?? 'No reason was given.'} Check the model and the settings, then scan again.`;
    }
  }

  /** The run scan's summary of one frame, when the finished scan is of that image. */
  runFrame(instanceId: number, frame: number): CineScan['frames'][number] | null {
    const run = this.run;
    if (!run?.result || run.instanceId !== instanceId) return null;
    return run.result.frames[frame] ?? null;
  }
}
