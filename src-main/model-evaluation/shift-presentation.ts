// How a model's shift robustness is shown wherever it is shown (the experiment PDF, the Results screen): one table
// row per shift, the unshifted split first, and Fig. 8 drawn from the same numbers.
import type { TopLevelSpec } from 'vega-lite';
import { shiftRobustnessSpec } from '../evaluation/figures/index.ts';
import type { AucWithInterval, ShiftRow } from './shift-robustness.ts';

export interface ShiftTableRow {
  /** 'none' for the unshifted split, else the shift's label (e.g. "gamma 2"). */
  shift: string;
  auc: number;
  low: number;
  high: number;
  /** AUC under the shift − AUC unshifted with its paired-bootstrap interval; null on the unshifted row. */
  difference: number | null;
  differenceLow: number | null;
  differenceHigh: number | null;
}

/** What the table and figure read of a stored result (an experiment record's copy carries the same fields). */
export interface ShiftResults {
  unshifted: AucWithInterval;
  shifts: readonly Pick<ShiftRow, 'label' | 'auc' | 'low' | 'high' | 'difference' | 'differenceLow' | 'differenceHigh'>[];
}

export function shiftTableRows(result: ShiftResults): ShiftTableRow[] {
  const { auc, low, high } = result.unshifted;
  return [
    { shift: 'none', auc, low, high, difference: null, differenceLow: null, differenceHigh: null },
    ...result.shifts.map((r) => ({ shift: r.label, auc: r.auc, low: r.low, high: r.high, difference: r.difference, differenceLow: r.differenceLow, differenceHigh: r.differenceHigh })),
  ];
}

/** Fig. 8 for one model, named `name` (e.g. "SSL-Quantum seed 1"). */
export function shiftRobustnessFigure(name: string, result: ShiftResults): TopLevelSpec {
  const rows = shiftTableRows(result).map((r) => ({ model: name, shift: r.shift, auc: r.auc, low: r.low, high: r.high }));
  return shiftRobustnessSpec(rows, [{ model: name, auc: result.unshifted.auc }], `Fig. 8. Test AUC under synthetic shifts, ${name}`);
}
