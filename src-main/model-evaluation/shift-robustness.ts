// AUC of one model on a test split under each synthetic shift, with a bootstrap interval and the paired difference
// from the unshifted split (same images, same resamples), so a drop can be told from resampling noise.
import {
  allShifts, applyShift, bootstrapIntervals, compareAucs, rocAuc, shiftLabel, toScoredLabels, type Prediction, type Shift,
} from '../evaluation/index.ts';
import type { ClassifierRuntime } from '../inference/index.ts';
import type { LabelledPatch } from './labelled-split.ts';
import { scorePatches } from './scoring.ts';

export interface AucWithInterval {
  auc: number;
  low: number;
  high: number;
}

export interface ShiftRow extends AucWithInterval, Shift {
  label: string;
  /** AUC under the shift − AUC unshifted, with its 95 % paired-bootstrap interval. */
  difference: number;
  differenceLow: number;
  differenceHigh: number;
}

export interface ShiftRobustness {
  images: number;
  positives: number;
  replicates: number;
  unshifted: AucWithInterval;
  shifts: ShiftRow[];
}

/** Noise seeds differ per image and are fixed by the image's place in the split. */
const NOISE_SEED = 9100;

function withInterval(predictions: Prediction[], replicates: number): AucWithInterval {
  const { auc } = bootstrapIntervals(predictions, (rows) => ({ auc: rocAuc(toScoredLabels(predictions, rows)) }), { replicates, seed: 7 });
  return { auc: rocAuc(toScoredLabels(predictions)), low: auc.low, high: auc.high };
}

export async function shiftRobustness(
  runtime: ClassifierRuntime,
  test: readonly LabelledPatch[],
  options: { shifts?: Shift[]; replicates?: number; onShift?: (done: number, total: number) => void } = {},
): Promise<ShiftRobustness> {
  const replicates = options.replicates ?? 1000;
  const shifts = options.shifts ?? allShifts();
  const base = await scorePatches(runtime, test);
  const rows: ShiftRow[] = [];
  for (const [k, shift] of shifts.entries()) {
    const shifted = await scorePatches(runtime, test, { pixels: (patch, i) => applyShift(patch, shift, NOISE_SEED + i) });
    const paired = compareAucs({ name: shiftLabel(shift), predictions: shifted }, { name: 'unshifted', predictions: base }, { replicates, seed: 7 });
    const own = withInterval(shifted, replicates);
    rows.push({
      ...shift,
      label: shiftLabel(shift),
      ...own,
      difference: own.auc - rocAuc(toScoredLabels(base)),
      differenceLow: paired.bootstrapDifference.low,
      differenceHigh: paired.bootstrapDifference.high,
    });
    options.onShift?.(k + 1, shifts.length);
  }
  return { images: test.length, positives: test.filter((p) => p.label === 1).length, replicates, unshifted: withInterval(base, replicates), shifts: rows };
}
