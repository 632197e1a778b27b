// P(stenosis) of every patch under every test-time view, for one or several models, timed pass by pass so that a
// configuration's inference cost is what its own passes took. Models and views alternate within each batch, so a
// busy machine's load falls on all of them alike.
import type { Prediction } from '../evaluation/index.ts';
import { prepareBatch, type ClassifierRuntime } from '../inference/index.ts';
import type { LabelledPatch } from './labelled-split.ts';
import { viewOfBatch, type TestTimeView } from './test-time-views.ts';

/** The batch scorePatches uses, so the identity view runs exactly the plain prediction's calls. */
const BATCH = 64;

export interface ViewScores {
  views: TestTimeView[];
  /** P(stenosis) as the runtime gives it (calibrated when the file stores a temperature): view (outer) × patch. */
  probabilities: Float32Array[];
  /** Seconds reading the patches into model inputs (once per model, whatever the views). */
  prepareSeconds: number;
  /** Seconds per view: making the view and the model's forward pass. */
  viewSeconds: number[];
}

/** One ViewScores per runtime, in the runtimes' order; a first untimed batch per runtime keeps start-up out of the cost. */
export async function scoreViews(runtimes: readonly ClassifierRuntime[], patches: readonly LabelledPatch[], views: readonly TestTimeView[]): Promise<ViewScores[]> {
  const scores: ViewScores[] = runtimes.map(() => ({
    views: [...views],
    probabilities: views.map(() => new Float32Array(patches.length)),
    prepareSeconds: 0,
    viewSeconds: views.map(() => 0),
  }));
  const warmUp = patches.slice(0, Math.min(BATCH, patches.length));
  for (const runtime of runtimes) {
    const { input } = prepareBatch(runtime, warmUp.map(asImage), warmUp.map((p) => p.id));
    await runtime.predict(input, warmUp.length);
  }
  for (let start = 0; start < patches.length; start += BATCH) {
    const chunk = patches.slice(start, start + BATCH);
    for (const [m, runtime] of runtimes.entries()) {
      const own = scores[m]!;
      let began = performance.now();
      const { input } = prepareBatch(runtime, chunk.map(asImage), chunk.map((p) => p.id));
      own.prepareSeconds += (performance.now() - began) / 1000;
      for (const [v, view] of views.entries()) {
        began = performance.now();
        const { probability } = await runtime.predict(viewOfBatch(input, chunk.length, runtime.imageSize, view), chunk.length);
        own.viewSeconds[v]! += (performance.now() - began) / 1000;
        own.probabilities[v]!.set(probability.subarray(0, chunk.length), start);
      }
    }
  }
  return scores;
}

const asImage = (patch: LabelledPatch) => ({ width: patch.width, height: patch.height, pixels: patch.pixels });

/**
 * The mean of P(stenosis) over the chosen models and views, per patch (a single model's single view is its own
 * probability, unchanged), and the seconds those passes took.
 */
export function averagedViews(
  patches: readonly LabelledPatch[],
  scores: readonly ViewScores[],
  views: readonly TestTimeView[],
): { predictions: Prediction[]; seconds: number } {
  const columns = scores.flatMap((model) => views.map((view) => {
    const v = model.views.indexOf(view);
    if (v < 0) throw new Error(`view ${view} was not scored`);
    return model.probabilities[v]!;
  }));
  const seconds = scores.reduce((sum, model) => sum + model.prepareSeconds + views.reduce((s, view) => s + model.viewSeconds[model.views.indexOf(view)]!, 0), 0);
  const predictions = patches.map((patch, i) => {
    let sum = 0;
    for (const column of columns) sum += column[i]!;
    return { id: patch.id, label: patch.label, score: sum / columns.length };
  });
  return { predictions, seconds };
}
