// The Results screen's data: the comparison table (means, intervals) and Figures 1–4 for the runs that share a test
// set, and one run's per-image predictions, sortable by score or by error.
import type { InvokeOutput } from '../../../src-preload/contract.ts';
import { describeError, type AngioApi } from '../lib/api.ts';
import { sortPredictions, type PredictionOrder } from '../lib/prediction-order.ts';

export { predictionError, sortPredictions, type PredictionOrder } from '../lib/prediction-order.ts';

export type ResultsOverview = InvokeOutput<'results.overview'>;
export type TestPrediction = InvokeOutput<'results.predictions'>['predictions'][number];
export class ResultsStore {
  private readonly api: AngioApi;

  constructor(api: AngioApi) {
    this.api = api;
  }

  overview = $state.raw<ResultsOverview | null>(null);
  runId = $state<string | null>(null);
  predictions = $state.raw<InvokeOutput<'results.predictions'> | null>(null);
  order = $state<PredictionOrder>('error');
  descending = $state(true);
  loading = $state(false);
  error = $state<string | null>(null);
  // A getter, not a $derived field: the store outlives the component that first made it.
  get sorted(): TestPrediction[] {
    return this.predictions ? sortPredictions(this.predictions.predictions, this.order, this.descending) : [];
  }

  async load(runId?: string): Promise<void> {
    this.loading = true;
    const result = await this.api.invoke['results.overview'](runId ? { runId } : {});
    this.loading = false;
    if (!result.ok) return void (this.error = describeError(result));
    this.error = null;
    this.overview = result.value;
    const pick = runId ?? this.runId ?? result.value.runs[0]?.runId ?? null;
    if (pick) await this.openRun(pick);
  }

  async openRun(runId: string): Promise<void> {
    this.runId = runId;
    const result = await this.api.invoke['results.predictions']({ runId });
    if (!result.ok) return void (this.error = describeError(result));
    this.predictions = result.value;
  }

  sortBy(order: PredictionOrder): void {
    if (this.order === order) this.descending = !this.descending;
    else {
      this.order = order;
      this.descending = true;
    }
  }
}
