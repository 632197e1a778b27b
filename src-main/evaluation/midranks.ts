// Ranks with ties sharing the mean of the ranks they span (1-based), the form both the Mann–Whitney AUC and
// DeLong's structural components need, so that tied scores count as half a win the way sklearn counts them.

export function midranks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]!] === values[order[start]!]) end += 1;
    const shared = (start + end) / 2 + 1;
    for (let k = start; k <= end; k += 1) ranks[order[k]!] = shared;
    start = end + 1;
  }
  return ranks;
}
