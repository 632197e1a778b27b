// Which rows travel together when a test set is resampled: all images of one patient (images of a patient are
// correlated, so resampling them singly understates the variance), or single images when no patient id is known.
import { AppError } from '../ipc/index.ts';
import type { Prediction } from './predictions.ts';
import type { SeededRandom } from '../random/index.ts';

export type ResampledUnit = 'patient' | 'image';

export interface ResamplingPlan {
  unit: ResampledUnit;
  /** Row indices of each unit. */
  units: number[][];
  /** Unit indices per stratum; one stratum holding every unit when not stratified. */
  strata: number[][];
}

export function resamplingPlan(predictions: readonly Prediction[], stratified: boolean): ResamplingPlan {
  const withPatient = predictions.filter((p) => p.patientId !== undefined).length;
  if (withPatient !== 0 && withPatient !== predictions.length) {
    throw new AppError(
      'evaluation-partial-patient-ids',
      `${predictions.length - withPatient} of ${predictions.length} images have no patient id, so patients cannot be ` +
        'resampled as units. Attach patient ids to every image or to none.',
    );
  }
  const unit: ResampledUnit = withPatient > 0 ? 'patient' : 'image';
  const byKey = new Map<string, number[]>();
  predictions.forEach((p, row) => {
    const key = unit === 'patient' ? p.patientId! : p.id;
    const rows = byKey.get(key);
    if (rows) rows.push(row);
    else byKey.set(key, [row]);
  });
  const units = [...byKey.values()];
  if (!stratified) return { unit, units, strata: [units.map((_, u) => u)] };
  // A patient with both normal and stenotic images forms its own "mixed" stratum rather than being forced into one.
  const strata = new Map<string, number[]>();
  units.forEach((rows, u) => {
    const labels = new Set(rows.map((r) => predictions[r]!.label));
    const key = labels.size === 1 ? String([...labels][0]) : 'mixed';
    const members = strata.get(key);
    if (members) members.push(u);
    else strata.set(key, [u]);
  });
  return { unit, units, strata: [...strata.values()] };
}

/** One bootstrap sample: as many units as each stratum holds, drawn with replacement, flattened to row indices. */
export function drawResample(plan: ResamplingPlan, random: SeededRandom): number[] {
  const rows: number[] = [];
  for (const stratum of plan.strata) {
    for (let k = 0; k < stratum.length; k += 1) {
      rows.push(...plan.units[stratum[random.below(stratum.length)]!]!);
    }
  }
  return rows;
}
