// A model's shift results kept beside its model file, where the Results screen finds them: written by
// `angio evaluate-shifts --save` (shift-robustness.json, naming the labelled root and split it scored), or by an
// experiment with "shiftRobustness": true (its run's scored.json). Read back only for the test split of the root the
// caller compares on, so the rows always describe the test images the Results table counts.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../store/index.ts';
import type { ShiftRobustness } from './shift-robustness.ts';

export const SHIFT_RESULTS_FILE = 'shift-robustness.json';

const Interval = z.object({ auc: z.number(), low: z.number(), high: z.number() });
const ShiftRobustnessSchema = z.object({
  images: z.number().int().positive(),
  positives: z.number().int().nonnegative(),
  replicates: z.number().int().positive(),
  unshifted: Interval,
  shifts: z.array(Interval.extend({ family: z.string(), parameter: z.number(), label: z.string(), difference: z.number(), differenceLow: z.number(), differenceHigh: z.number() })),
});
const SavedSchema = ShiftRobustnessSchema.extend({ data: z.string(), split: z.string() });

export const savedShiftsPath = (modelPath: string): string => join(dirname(modelPath), SHIFT_RESULTS_FILE);

/** Writes the result beside the model file; returns where. */
export function saveShiftResults(modelPath: string, dataRoot: string, split: string, result: ShiftRobustness): string {
  const path = savedShiftsPath(modelPath);
  writeFileAtomic(path, JSON.stringify({ model: modelPath, data: resolve(dataRoot), split, ...result }, null, 2) + '\n');
  return path;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** The shift results stored beside `modelPath` for the test split of `labeledRoot`; null when none were measured. */
export function savedShiftResults(modelPath: string, labeledRoot: string): ShiftRobustness | null {
  const savedPath = savedShiftsPath(modelPath);
  if (existsSync(savedPath)) {
    const saved = SavedSchema.safeParse(readJson(savedPath));
    if (saved.success && saved.data.split === 'test' && resolve(saved.data.data) === resolve(labeledRoot)) {
      const { data: _data, split: _split, ...result } = saved.data;
      return result as ShiftRobustness;
    }
  }
  // An experiment's run folder: its scored.json carries the shifts of the experiment's own test split.
  const scored = z.object({ shifts: ShiftRobustnessSchema }).safeParse(readJson(join(dirname(modelPath), 'scored.json')));
  return scored.success ? (scored.data.shifts as ShiftRobustness) : null;
}
