// The Results screen's full-frame evaluation: how many frames have boxes, the evaluation kept in main (shown without
// rescanning), and a new one with the chosen model file (picked as in the Viewer). The FROC figure comes drawn by main.
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import { describeError, type AngioApi } from '../lib/api.ts';
import { ModelChoice } from './model-choice.svelte.ts';

export type DetectionEvaluation = InvokeOutput<'annotations.evaluate'>;
export type EvaluationStatus = InvokeOutput<'annotations.evaluationStatus'>;
export interface FrameRow {
  key: string;
  instanceId: number | null;
  frame: number | null;
  boxes: number;
  hits: number;
  falsePositives: number;
  bestHitScore: number | null;
}

export class FullFrameEvaluationStore {
  private readonly api: AngioApi;

  readonly model: ModelChoice;
  status = $state.raw<Omit<EvaluationStatus, 'latest'> | null>(null);
  evaluation = $state.raw<DetectionEvaluation | null>(null);
  running = $state(false);
  error = $state<string | null>(null);

  constructor(api: AngioApi) {
    this.api = api;
    this.model = new ModelChoice(api);
  }

  /** Each scored frame with where it is in the library (a getter: the store outlives the component). */
  get frames(): FrameRow[] {
    const score = this.evaluation?.score;
    if (!score) return [];
    const where = new Map(score.frameKeys.map((k) => [k.key, k]));
    return score.perFrame.map((f) => ({ key: f.frame, instanceId: where.get(f.frame)?.instanceId ?? null, frame: where.get(f.frame)?.frame ?? null, boxes: f.boxes, hits: f.hits, falsePositives: f.falsePositives, bestHitScore: f.bestHitScore }));
  }

  /** The box counts and the newest kept evaluation (it replaces what is shown unless a run is under way). */
  async refresh(): Promise<void> {
    void this.model.start();
    const answer = await this.api.invoke['annotations.evaluationStatus']({});
    if (!answer.ok) return void (this.error = `The full-frame evaluation could not be read. ${describeError(answer)}`);
    const { latest, ...counts } = answer.value;
    this.status = counts;
    if (!this.running) this.evaluation = latest;
  }

  /** Scores every frame with boxes with the chosen model; `fresh` rescans even when a kept result matches. */
  async run(fresh = false): Promise<void> {
    const summary = await this.model.load();
    if (!summary) return;
    this.running = true;
    this.error = null;
    const answer = await this.api.invoke['annotations.evaluate']({ modelPath: summary.path, fresh });
    this.running = false;
    if (!answer.ok) return void (this.error = `Full-frame evaluation failed. ${describeError(answer)}`);
    this.evaluation = answer.value;
  }
}
