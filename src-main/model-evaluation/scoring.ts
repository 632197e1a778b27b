// P(stenosis) for many patches through the inference runtime, in batches, as the Viewer would score each.
import { prepareBatch, type ClassifierRuntime } from '../inference/index.ts';
import type { Prediction } from '../evaluation/index.ts';
import type { LabelledPatch } from './labelled-split.ts';

const BATCH = 64;

/** One prediction per patch; `pixels` replaces each patch's own (a shifted copy), `calibrated: false` the network's own P. */
export async function scorePatches(
  runtime: ClassifierRuntime,
  patches: readonly LabelledPatch[],
  options: { pixels?: (patch: LabelledPatch, index: number) => Uint8Array; calibrated?: boolean } = {},
): Promise<Prediction[]> {
  const out: Prediction[] = [];
  for (let start = 0; start < patches.length; start += BATCH) {
    const chunk = patches.slice(start, start + BATCH);
    const images = chunk.map((p, i) => ({ width: p.width, height: p.height, pixels: options.pixels ? options.pixels(p, start + i) : p.pixels }));
    const { input } = prepareBatch(runtime, images, chunk.map((p) => p.id));
    const { probability } = await runtime.predict(input, chunk.length, { calibrated: options.calibrated });
    chunk.forEach((p, i) => out.push({ id: p.id, label: p.label, score: probability[i]! }));
  }
  return out;
}
