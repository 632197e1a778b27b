// The Results screen's graded panel: for each compared run trained on a graded class list, the per-class test
// evaluation the driver stored in its record, and that run's K×K confusion heat map drawn by Vega.
import { type ClassRow, type GradedEvaluation } from '../evaluation/index.ts';
import { gradedConfusionSpec, renderVegaLite } from '../evaluation/figures/index.ts';

export interface GradedClassResult {
  name: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
  /** null where the class is absent from the test set or is every image (no one-vs-rest AUC). */
  rocAuc: number | null;
}

export interface GradedRunResult {
  runId: string;
  model: string;
  seed: number;
  classNames: string[];
  test: {
    images: number;
    accuracy: number;
    macroRocAuc: number | null;
    quadraticKappa: number | null;
    withinOneClass: number;
    perClass: GradedClassResult[];
    /** rows: true class, columns: predicted class, in class order */
    confusion: number[][];
  };
  /** SVG of the test confusion heat map. */
  figure: string;
}

/** A compared run as this module needs it: its name on the screen and its stored record's metrics. */
export interface ComparedRun {
  runId: string;
  model: string;
  seed: number;
  metrics: unknown;
}

/** JSON and the IPC schemas have no NaN: an undefined metric crosses as null. */
export const nullIfNaN = (value: number): number | null => (Number.isFinite(value) ? value : null);
// The record went through JSON, which writes NaN as null; reading null back as NaN restores the evaluation's own
// contract (NaN = undefined metric), so records read from the store and fresh ones take the same path.
const revive = (value: unknown): number => (typeof value === 'number' ? value : Number.NaN);

const isMatrix = (value: unknown, k: number): value is number[][] =>
  Array.isArray(value) && value.length === k && value.every((row) => Array.isArray(row) && row.length === k && row.every((n) => typeof n === 'number'));

/** The test evaluation of a graded run's metrics, or null for a binary run (no `graded` block) or a block this
 * version cannot read: one odd record must not take the whole Results screen down with it. */
export function storedGradedTest(metrics: unknown): GradedEvaluation | null {
  const graded = (metrics as { graded?: { classNames?: unknown; test?: Record<string, unknown> } } | null)?.graded;
  const classNames = graded?.classNames;
  const test = graded?.test;
  if (!Array.isArray(classNames) || !classNames.every((n) => typeof n === 'string') || !test) return null;
  if (!isMatrix(test.confusion, classNames.length) || !Array.isArray(test.perClass) || test.perClass.length !== classNames.length) return null;
  const rows = test.perClass as Record<string, unknown>[];
  if (!rows.every((row) => typeof row === 'object' && row !== null)) return null;
  // Only AUCs and κ may be undefined; a missing count or ratio means the block is not an evaluation at all.
  const counted = [test.accuracy, test.withinOneClass, ...rows.flatMap((row) => [row.support, row.precision, row.recall, row.f1])];
  if (!counted.every((n) => typeof n === 'number')) return null;
  const perClass = rows.map((row, c): ClassRow => ({
    name: typeof row.name === 'string' ? row.name : classNames[c]!,
    support: row.support as number,
    precision: row.precision as number,
    recall: row.recall as number,
    f1: row.f1 as number,
    rocAuc: revive(row.rocAuc),
  }));
  const images = test.confusion.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  return {
    classNames,
    images,
    confusion: test.confusion,
    accuracy: test.accuracy as number,
    perClass,
    macroRocAuc: revive(test.macroRocAuc),
    quadraticKappa: revive(test.quadraticKappa),
    withinOneClass: test.withinOneClass as number,
  };
}

/** One entry per graded run, in the order given; binary runs are left out. */
export async function gradedResults(runs: readonly ComparedRun[]): Promise<GradedRunResult[]> {
  const results: GradedRunResult[] = [];
  for (const run of runs) {
    const test = storedGradedTest(run.metrics);
    if (!test) continue;
    const figure = await renderVegaLite(gradedConfusionSpec(test, `Graded confusion matrix · ${run.model} seed ${run.seed}`));
    results.push({
      runId: run.runId,
      model: run.model,
      seed: run.seed,
      classNames: test.classNames,
      test: {
        images: test.images,
        accuracy: test.accuracy,
        macroRocAuc: nullIfNaN(test.macroRocAuc),
        quadraticKappa: nullIfNaN(test.quadraticKappa),
        withinOneClass: test.withinOneClass,
        perClass: test.perClass.map((row) => ({ ...row, rocAuc: nullIfNaN(row.rocAuc) })),
        confusion: test.confusion,
      },
      figure: figure.svg,
    });
  }
  return results;
}
