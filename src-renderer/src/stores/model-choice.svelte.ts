// Which model file the Viewer reads frames with: a typed path or one of the recently used model files (a setting
// in main, so it survives restarts), and the loaded model's summary (name, threshold, circuit drawing).
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import { api } from '../lib/api.ts';

export type ModelSummary = InvokeOutput<'inference.model'>;

export class ModelChoice {
  path = $state('');
  recent = $state<string[]>([]);
  summary = $state.raw<ModelSummary | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  private started = false;

  /** Fetches the recent list once and proposes the newest model when no path is typed yet. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const answer = await api().invoke['inference.models.recent']({});
    if (!answer.ok) return;
    this.recent = answer.value.models;
    if (!this.path && this.recent[0]) this.path = this.recent[0];
  }

  /** The summary of the model at the typed path, loading it when the path changed or `reload` asks. */
  async load(reload = false): Promise<ModelSummary | null> {
    const path = this.path.trim();
    if (!path) {
      this.error = 'Type the path of a model file (.angio) first, or pick one of the recent models.';
      return null;
    }
    if (!reload && this.summary?.path === path) return this.summary;
    this.loading = true;
    const answer = await api().invoke['inference.model']({ modelPath: path });
    this.loading = false;
    if (path !== this.path.trim()) return null; // the path was edited while loading: that answer is for another file
    if (!answer.ok) {
      this.summary = null;
      this.error = `The model could not be loaded. ${answer.error.message}`;
      return null;
    }
    this.summary = answer.value;
    this.error = null;
    const remembered = await api().invoke['inference.models.remember']({ modelPath: path });
    if (remembered.ok) this.recent = remembered.value.models;
    return answer.value;
  }
}
