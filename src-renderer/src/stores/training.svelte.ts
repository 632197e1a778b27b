// Training runs from the screen: presets and an editable configuration checked against the contract's own schema,
// start / cancel / resume through the training engine's channels, and its training.progress events folded into
// curves (loss per step, validation AUC per epoch), images/s and ETA. A run on a locked split records the link.
import type { EventPayload, InvokeOutput } from '../../../src-preload/contract.ts';
import { describeError, type AngioApi } from '../lib/api.ts';
import { PRESETS, validateConfig, type PresetName } from '../lib/training-config.ts';
import { splitReadinessProblem } from '../lib/training-readiness.ts';
import { coreCount, processesIn, processesProblem, withProcesses } from '../lib/training-processes.ts';
import { configObject, optionsOf, withOption, type OptionId, type OptionState } from '../lib/training-options.ts';

export { PRESETS, type PresetName } from '../lib/training-config.ts';

export type RunSummary = InvokeOutput<'training.listRuns'>['runs'][number];
type Progress = EventPayload<'training.progress'>;

export class TrainingStore {
  private readonly api: AngioApi;
  configText = $state(JSON.stringify(PRESETS.quick, null, 2));
  preset = $state<PresetName | 'custom'>('quick');
  splitId = $state<number | null>(null);
  /** The dataset was chosen by the person or belongs to a run under way: coming back to the screen keeps it. */
  splitChosen = $state(false);
  /** binary: no stenosis / stenosis; graded: one class per class and grade of the annotation class list (a split only). */
  classes = $state<'binary' | 'graded'>('binary');
  runs = $state<RunSummary[]>([]);
  runSplits = $state<Record<string, number>>({});
  runId = $state<string | null>(null);
  jobId = $state<string | null>(null);
  status = $state<'idle' | 'running' | 'succeeded' | 'failed' | 'cancelled'>('idle');
  loss = $state.raw<{ x: number; y: number }[]>([]);
  valAuc = $state.raw<{ x: number; y: number }[]>([]);
  last = $state.raw<Progress | null>(null);
  error = $state<string | null>(null);
  /** What the person typed in the processes field while it is not a usable value (valid ones go into the JSON). */
  processesDraft = $state<string | null>(null);
  readonly cores = coreCount();
  // A getter, not a $derived field: the store outlives the component that first made it.
  get validation(): ReturnType<typeof validateConfig> {
    return validateConfig(this.configText);
  }

  get processesShown(): string {
    return this.processesDraft ?? String(processesIn(this.configText));
  }

  get processesProblem(): string | null {
    return processesProblem(this.processesDraft ?? processesIn(this.configText), this.configText, this.cores);
  }

  setProcesses(text: string): void {
    const n = Number(text);
    const next = processesProblem(text, this.configText, this.cores) === null ? withProcesses(this.configText, n) : null;
    if (next === null) return void (this.processesDraft = text);
    this.processesDraft = null;
    this.configText = next;
    this.preset = 'custom';
  }

  /** The model options as the configuration text sets them (all disabled while it is not a JSON object). */
  get options(): OptionState[] {
    return optionsOf(configObject(this.configText));
  }

  /** A control rewrites the option's keys in the JSON, which makes the configuration custom as typing does. */
  setOption(id: OptionId, value: string): void {
    const next = withOption(this.configText, id, value);
    if (next === this.configText) return;
    this.configText = next;
    this.preset = 'custom';
    this.processesDraft = null;
  }

  constructor(api: AngioApi) {
    this.api = api;
    this.api.on('training.progress', (p) => {
      if (p.runId !== this.runId) return;
      this.last = p;
      const x = this.loss.length;
      this.loss = [...this.loss, { x, y: p.loss }];
      const auc = p.metrics?.valAuc;
      if (p.kind === 'epoch' && auc !== undefined) this.valAuc = [...this.valAuc, { x, y: auc }];
    });
    this.api.on('job.finished', (event) => {
      if (event.jobId !== this.jobId) return;
      this.status = event.status;
      if (event.status === 'failed') this.error = event.error?.message ?? 'The run failed.';
      void this.refresh();
    });
  }

  usePreset(name: PresetName): void {
    this.preset = name;
    this.processesDraft = null;
    this.configText = JSON.stringify(PRESETS[name], null, 2);
  }

  async refresh(): Promise<void> {
    const [runs, links] = await Promise.all([this.api.invoke['training.listRuns']({}), this.api.invoke['dataset.runSplits']({})]);
    if (runs.ok) this.runs = runs.value.runs;
    else this.error = describeError(runs);
    if (links.ok) this.runSplits = Object.fromEntries(links.value.runs.map((r) => [r.runId, r.splitId]));
  }

  private begin(runId: string, jobId: string, fresh: boolean): void {
    this.runId = runId;
    this.jobId = jobId;
    this.status = 'running';
    this.error = null;
    if (fresh) {
      this.loss = [];
      this.valAuc = [];
      this.last = null;
    }
  }

  async start(): Promise<void> {
    const checked = this.validation;
    if (!checked.ok) return void (this.error = `The configuration is invalid: ${checked.problems.join('; ')}`);
    if (this.processesProblem) return void (this.error = this.processesProblem);
    let dataset: { labeledRoot: string; unlabeledDir: string | null } | undefined;
    if (this.splitId !== null) {
      const source = await this.api.invoke['dataset.trainingSource']({ splitId: this.splitId, classes: this.classes });
      if (!source.ok) return void (this.error = describeError(source));
      const problem = splitReadinessProblem(source.value.counts, checked.value);
      if (problem) return this.refuse(problem);
      dataset = { labeledRoot: source.value.labeledRoot, unlabeledDir: source.value.unlabeledDir };
    }
    const result = await this.api.invoke['training.start']({ config: checked.value as never, dataset });
    if (!result.ok) return this.refuse(describeError(result));
    this.splitChosen = true;
    this.begin(result.value.runId, result.value.jobId, true);
    if (this.splitId !== null) await this.api.invoke['dataset.linkRun']({ runId: result.value.runId, splitId: this.splitId, classes: this.classes });
    await this.refresh();
  }

  /** A run that could not start leaves nothing to resume: the live panel goes back to idle with the reason. */
  private refuse(message: string): void {
    this.error = message;
    if (this.status !== 'running') {
      this.runId = null;
      this.jobId = null;
      this.status = 'idle';
      this.last = null;
      this.loss = [];
      this.valAuc = [];
    }
  }

  async cancel(): Promise<void> {
    if (!this.runId) return;
    const result = await this.api.invoke['training.cancel']({ runId: this.runId });
    if (!result.ok) this.error = describeError(result);
  }

  async resume(runId: string | null = this.runId): Promise<void> {
    if (!runId) return;
    const result = await this.api.invoke['training.resume']({ runId });
    if (!result.ok) return void (this.error = describeError(result));
    this.begin(result.value.runId, result.value.jobId, runId !== this.runId);
    await this.refresh();
  }
}
