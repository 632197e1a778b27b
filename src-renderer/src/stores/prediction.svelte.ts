// One frame read by the model. A patch-sized image: the readouts (probability, decision, quantum contribution, OOD,
// uncertainty) and then the occlusion saliency map, in steps so the numbers show while the map is still being made:
// the coarse map (16 squares side by side, one small model call) ends the Predict, and the fine map (8-px squares in
// steps of 4) follows and replaces it; main encodes neither the image nor a square twice. A larger frame: the scan's lesion candidates
// (boxes, probability, uncertainty, OOD), the frame's score being its best candidate's, and the maps of the best one.
// A newer request or "stop waiting" makes the answers of an older one land nowhere (main cannot abort a running call).
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import type { AngioApi } from '../lib/api.ts';
import { mapOverlay, type MapOverlay, type SaliencyDetail } from '../lib/map-overlay.ts';
import type { ModelChoice } from './model-choice.svelte.ts';

export type Readout = InvokeOutput<'inference.predict'>;
export type ScanReading = Extract<InvokeOutput<'inference.locate'>, { kind: 'scan' }>;
export type Candidate = ScanReading['candidates'][number];

export interface FrameReadout {
  instanceId: number;
  frame: number;
  modelPath: string;
  value: Readout;
}

/** A frame larger than the model's patch: scanned, its findings are lesion candidates (best first). */
export interface FrameCandidates {
  instanceId: number;
  frame: number;
  modelPath: string;
  value: ScanReading;
}

export interface PredictionStep {
  instanceId: number;
  frame: number;
  step: 1 | 2;
  label: string;
}

export class PredictionStore {
  private readonly api: AngioApi;
  readout = $state.raw<FrameReadout | null>(null);
  located = $state.raw<FrameCandidates | null>(null);
  saliency = $state.raw<MapOverlay | null>(null);
  busy = $state.raw<PredictionStep | null>(null);
  /** The fine saliency map on its way after the coarse one is shown; Predict is free again meanwhile. */
  refining = $state.raw<{ instanceId: number; frame: number } | null>(null);
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  private readonly model: ModelChoice;
  private token = 0;

  constructor(api: AngioApi, model: ModelChoice) {
    this.api = api;
    this.model = model;
  }

  /** `itemId`: a dataset patch with no library image, read by item id (`instanceId` is then only its key here). */
  async predict(instanceId: number, frame: number, itemId?: number): Promise<void> {
    this.notice = null;
    const summary = await this.model.load();
    if (!summary) {
      this.error = this.model.error;
      return;
    }
    const token = ++this.token;
    const at = { instanceId, frame };
    const target = itemId !== undefined ? { modelPath: summary.path, itemId, frame } : { modelPath: summary.path, instanceId, frame };
    this.error = null;
    this.refining = null;
    this.busy = { ...at, step: 1, label: `Reading frame ${frame + 1} with the model` };
    const answer = await this.api.invoke['inference.locate'](target);
    if (token !== this.token) return;
    if (!answer.ok) {
      this.busy = null;
      this.error = `Frame ${frame + 1} could not be read by the model. ${answer.error.message}`;
      return;
    }
    // A frame is scanned, never squeezed into one input: its candidates are the reading, and the map explains the
    // best one (its box read as the patch it was scored as).
    const best = answer.value.kind === 'scan' ? answer.value.candidates[0] : undefined;
    if (answer.value.kind === 'scan') {
      this.located = { ...at, modelPath: summary.path, value: answer.value };
      this.readout = null;
    } else {
      this.located = null;
      this.readout = { ...at, modelPath: summary.path, value: answer.value.readout };
    }
    this.busy = { ...at, step: 2, label: best ? `Making the saliency map of the best lesion candidate on frame ${frame + 1}` : `Making the saliency map of frame ${frame + 1}` };
    const box = best ? { x: best.x, y: best.y, width: best.width, height: best.height } : undefined;
    const saliency = (detail: SaliencyDetail) => this.api.pixels['inference.saliency']({ ...target, format: 'rgba8', detail, ...(box ? { box } : {}) });
    const coarse = await saliency('coarse');
    if (token !== this.token) return;
    this.busy = null;
    if (!this.show(coarse, at, `The saliency map of frame ${frame + 1} could not be made.`, 'The readout is still valid.')) return;
    this.refining = at;
    const fine = await saliency('fine');
    if (token !== this.token) return;
    this.refining = null;
    this.show(fine, at, `The fine saliency map of frame ${frame + 1} could not be made.`, 'The coarse map and the readout are still valid.');
  }

  /** Shows a saliency answer, or says why not (`still`: what remains valid); false when nothing was shown. */
  private show(map: Awaited<ReturnType<AngioApi['pixels']['inference.saliency']>>, at: { instanceId: number; frame: number }, failed: string, still: string): boolean {
    if (!map.ok) {
      this.error = `${failed} ${map.error.message} ${still}`;
      return false;
    }
    const { meta, data } = map.value;
    try {
      this.saliency = mapOverlay('saliency', at, meta, data, { probability: meta.probability, detail: { level: meta.detail, window: meta.window, stride: meta.stride } });
      return true;
    } catch (error) {
      this.error = `${(error as Error).message} Predict again.`;
      return false;
    }
  }

  /** Lets go of the request in flight, or of the fine map on its way: its answer will be dropped; what is shown stays. */
  stop(): void {
    if (this.busy) {
      this.token++;
      this.notice = `Stopped waiting for frame ${this.busy.frame + 1}. Press Predict to try again.`;
      this.busy = null;
    } else if (this.refining) {
      this.token++;
      this.notice = `Kept the coarse saliency map of frame ${this.refining.frame + 1}. Press Predict for the fine one.`;
      this.refining = null;
    }
  }
}
