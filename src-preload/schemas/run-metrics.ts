// What a finished training run scored, as its run record keeps it (training/driver.ts writes it, the run list
// carries it). Part of the contract, so it lives here and main imports it.
import { z } from 'zod';

/** An AUC, κ or rate: undefined (NaN) when a class is absent, which JSON stores as null. */
const Undefinable = z.number().nullable();

/** A validation operating point: predicted positive when score ≥ threshold. */
export const RunOperatingPointSchema = z.object({
  threshold: z.number(),
  sensitivity: z.number(),
  specificity: z.number(),
  /** Share of positives in the set the threshold was chosen on: a threshold is only valid near this prevalence. */
  prevalence: z.number(),
  rule: z.enum(['youden', 'sensitivity']),
});

/** Every class on one split, the true class against the argmax (evaluation/graded-metrics.ts computes it). */
export const GradedSplitMetricsSchema = z.object({
  classNames: z.array(z.string()),
  images: z.number().int(),
  /** rows: true class, columns: predicted class */
  confusion: z.array(z.array(z.number().int())),
  accuracy: z.number(),
  perClass: z.array(z.object({ name: z.string(), support: z.number().int(), precision: z.number(), recall: z.number(), f1: z.number(), rocAuc: Undefinable })),
  macroRocAuc: Undefinable,
  quadraticKappa: Undefinable,
  withinOneClass: z.number(),
});

export const RunMetricsSchema = z.object({
  valAuc: Undefinable,
  testAuc: Undefinable,
  threshold: RunOperatingPointSchema,
  /** The validation threshold applied to the test split. */
  test: z.object({ sensitivity: Undefinable, specificity: Undefinable, prevalence: z.number() }),
  /** Graded class lists only, besides the any-stenosis figures above. */
  graded: z.object({ classNames: z.array(z.string()), val: GradedSplitMetricsSchema, test: GradedSplitMetricsSchema }).optional(),
});
export type RunMetrics = z.infer<typeof RunMetricsSchema>;
