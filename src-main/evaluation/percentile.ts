// Quantiles of bootstrap replicates, interpolated linearly between order statistics exactly as numpy.percentile's
// default does, so an interval can be recomputed from the same replicates in python and agree.

export function percentile(sortedAscending: readonly number[], fraction: number): number {
  if (sortedAscending.length === 0) return Number.NaN;
  const position = (sortedAscending.length - 1) * fraction;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sortedAscending.length - 1);
  const lower = sortedAscending[below]!;
  return lower + (sortedAscending[above]! - lower) * (position - below);
}
