// Spearman rank correlation between two saliency maps of the same shape: Pearson's correlation of their
// midranks (ties share the mean rank, as scipy.stats.spearmanr ranks), the similarity Adebayo et al. (2018) use.
import { midranks } from '../../evaluation/index.ts';

/** ρ in [−1, 1]; NaN when either map is constant (no ranking to compare). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`maps of ${a.length} and ${b.length} values cannot be rank-correlated`);
  const ra = midranks(Array.from(a));
  const rb = midranks(Array.from(b));
  const mean = (a.length + 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < a.length; i++) {
    num += (ra[i]! - mean) * (rb[i]! - mean);
    da += (ra[i]! - mean) ** 2;
    db += (rb[i]! - mean) ** 2;
  }
  return da === 0 || db === 0 ? Number.NaN : num / Math.sqrt(da * db);
}

/** The same on magnitudes: whether the maps agree on where evidence lies, whatever its sign. */
export function absoluteSpearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return spearman(Array.from(a, Math.abs), Array.from(b, Math.abs));
}
