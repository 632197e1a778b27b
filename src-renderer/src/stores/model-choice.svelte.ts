// Which model file the Viewer reads frames with: a typed path or one of the recently used model files (a setting
// in main, so it survives restarts), and the loaded model's summary (name, threshold, circuit drawing).
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import type { AngioApi } from '../lib/api.ts';

export type ModelSummary = InvokeOutput<'inference.model'>;

/** Where a model file came from, in words: its file name, the training run that wrote it, and when. */
export interface ModelOrigin {
  file: string;
  run: string | null;
  date: string | null;
}

interface RunOfModel {
  id: string;
  createdAt: string;
  method: string;
  encoder: string;
  seed: number;
}

const fileName = (path: string) => path.split(/[\\/]/).filter(Boolean).pop() ?? path;
const parentName = (path: string) => path.split(/[\\/]/).filter(Boolean).slice(-2, -1)[0] ?? null;
const minutes = (iso: string) => iso.slice(0, 16).replace('T', ' ');

export class ModelChoice {
  private readonly api: AngioApi;

  constructor(api: AngioApi) {
    this.api = api;
  }

  path = $state('');
  recent = $state<string[]>([]);
  summary = $state.raw<ModelSummary | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  /** True while the path is the newest recent model put there by the app, not chosen by the user. */
  proposed = $state(false);
  /** Finished training runs by the model file they wrote, to name a model's run. */
  private runs = $state.raw<Map<string, RunOfModel>>(new Map());
  private started = false;

  /** Fetches the recent list once and proposes the newest model when no path is typed yet (said as such, never
   * loaded silently under another name). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const [answer, runs] = await Promise.all([this.api.invoke['inference.models.recent']({}), this.api.invoke['training.listRuns']({})]);
    // A run's model.angio (what the Viewer opens) and its training-side model file both name the run.
    if (runs.ok) this.runs = new Map(runs.value.runs.flatMap((r) => [r.files?.inferenceModel, r.files?.model].filter((f): f is string => !!f).map((f) => [f, r] as const)));
    if (!answer.ok) return;
    this.recent = answer.value.models;
    if (!this.path && this.recent[0]) {
      this.path = this.recent[0];
      this.proposed = true;
    }
  }

  /** File name, run and date of a model file: the run that wrote it when one in this library did (else the folder
   * it sits in), the date the model was made once it is loaded (else the run's). */
  origin(path: string): ModelOrigin {
    const run = this.runs.get(path);
    const loaded = this.summary?.path === path ? this.summary : null;
    const runWords = run ? `run ${run.id.slice(0, 8)} (${run.method} · ${run.encoder} · seed ${run.seed})` : parentName(path) ? `folder ${parentName(path)}` : null;
    const date = loaded?.createdAt ?? run?.createdAt ?? null;
    return { file: fileName(path), run: runWords, date: date ? minutes(date) : null };
  }

  /** The user's choice of a model file: loads it at once. */
  async choose(path: string): Promise<ModelSummary | null> {
    this.path = path;
    this.proposed = false;
    return this.load(true);
  }

  /** The summary of the model at the typed path, loading it when the path changed or `reload` asks. */
  async load(reload = false): Promise<ModelSummary | null> {
    const path = this.path.trim();
    if (path !== this.recent[0]) this.proposed = false;
    if (!path) {
      this.error = 'Type the path of a model file (.angio) first, or pick one of the recent models.';
      return null;
    }
    if (!reload && this.summary?.path === path) return this.summary;
    this.loading = true;
    const answer = await this.api.invoke['inference.model']({ modelPath: path });
    this.loading = false;
    if (path !== this.path.trim()) return null; // the path was edited while loading: that answer is for another file
    if (!answer.ok) {
      this.summary = null;
      this.error = `The model could not be loaded. ${answer.error.message}`;
      return null;
    }
    this.summary = answer.value;
    this.proposed = false;
    this.error = null;
    const remembered = await this.api.invoke['inference.models.remember']({ modelPath: path });
    if (remembered.ok) this.recent = remembered.value.models;
    return answer.value;
  }
}
