// One frame read by the model: the readouts (probability, decision, quantum contribution, OOD, uncertainty) and
// then the occlusion saliency map, in two steps so the numbers show while the map is still being made. A newer
// request or "stop waiting" makes the answers of an older one land nowhere (main cannot abort a running call).
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import { api } from '../lib/api.ts';
import { mapOverlay, type MapOverlay } from '../lib/map-overlay.ts';
import type { ModelChoice } from './model-choice.svelte.ts';

export type Readout = InvokeOutput<'inference.predict'>;

export interface FrameReadout {
  instanceId: number;
  frame: number;
  modelPath: string;
  value: Readout;
}

export interface PredictionStep {
  instanceId: number;
  frame: number;
  step: 1 | 2;
  label: string;
}

export class PredictionStore {
  readout = $state.raw<FrameReadout | null>(null);
  saliency = $state.raw<MapOverlay | null>(null);
  busy = $state.raw<PredictionStep | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  private readonly model: ModelChoice;
  private token = 0;

  constructor(model: ModelChoice) {
    this.model = model;
  }

  async predict(instanceId: number, frame: number): Promise<void> {
    this.notice = null;
    const summary = await this.model.load();
    if (!summary) {
      this.error = this.model.error;
      return;
    }
    const token = ++this.token;
    const at = { instanceId, frame };
    const target = { modelPath: summary.path, instanceId, frame };
    this.error = null;
    this.busy = { ...at, step: 1, label: `Reading frame ${frame + 1} with the model` };
    const readout = await api().invoke['inference.predict'](target);
    if (token !== this.token) return;
    if (!readout.ok) {
      this.busy = null;
      this.error = `Frame ${frame + 1} could not be read by the model. ${readout.error.message}`;
      return;
    }
    this.readout = { ...at, modelPath: summary.path, value: readout.value };
    this.busy = { ...at, step: 2, label: `Making the saliency map of frame ${frame + 1}` };
    const map = await api().pixels['inference.saliency']({ ...target, format: 'rgba8' });
    if (token !== this.token) return;
    this.busy = null;
    if (!map.ok) {
      this.error = `The saliency map of frame ${frame + 1} could not be made. ${map.error.message} The readout is still valid.`;
      return;
    }
    try {
      this.saliency = mapOverlay('saliency', at, map.value.meta, map.value.data, { probability: map.value.meta.probability });
    } catch (error) {
      this.error = `${(error as Error).message} Predict again.`;
    }
  }

  /** Lets go of the request in flight: its answer will be dropped; what was shown before stays. */
  stop(): void {
    if (!this.busy) return;
    this.token++;
    this.notice = `Stopped waiting for frame ${this.busy.frame + 1}. Press Predict to try again.`;
    this.busy = null;
  }
}
