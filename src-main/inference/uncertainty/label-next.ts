// Which unlabelled images to label next: uncertain (MC-dropout BALD) and diverse (far, in encoder feature space,
// from what is already labelled or chosen). Greedy: each pick maximises uncertainty × normalised distance to the
// nearest labelled-or-picked image, so near-duplicates of one confusing image do not fill the list.
export interface LabelCandidate {
  /** Index into the pool. */
  index: number;
  uncertainty: number;
  /** Distance to the nearest labelled or earlier pick, relative to the pool's largest such distance. */
  diversity: number;
  meanProbability: number;
}

export interface RankingInput {
  /** Per pool item: uncertainty (e.g. BALD), mean P(stenosis), features (count × F). */
  uncertainty: ArrayLike<number>;
  meanProbability: ArrayLike<number>;
  features: Float32Array;
  featureDim: number;
  /** Features of already-labelled images (n × F), may be empty. */
  labelledFeatures?: Float32Array;
  count: number;
}

function unitRows(features: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(features.length);
  for (let r = 0; r < features.length / dim; r++) {
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += features[r * dim + k]! ** 2;
    const scale = 1 / (Math.sqrt(norm) || 1);
    for (let k = 0; k < dim; k++) out[r * dim + k] = features[r * dim + k]! * scale;
  }
  return out;
}

/** Cosine distance between row a of x and row b of y (both unit rows). */
function distance(x: Float32Array, a: number, y: Float32Array, b: number, dim: number): number {
  let dot = 0;
  for (let k = 0; k < dim; k++) dot += x[a * dim + k]! * y[b * dim + k]!;
  return Math.max(0, 1 - dot);
}

export function rankForLabelling(input: RankingInput): LabelCandidate[] {
  const dim = input.featureDim;
  const pool = unitRows(input.features, dim);
  const n = pool.length / dim;
  const nearest = new Float64Array(n).fill(Infinity);
  const labelled = input.labelledFeatures?.length ? unitRows(input.labelledFeatures, dim) : null;
  if (labelled) {
    for (let i = 0; i < n; i++) for (let j = 0; j < labelled.length / dim; j++) nearest[i] = Math.min(nearest[i]!, distance(pool, i, labelled, j, dim));
  }
  const picked: LabelCandidate[] = [];
  const taken = new Uint8Array(n);
  while (picked.length < Math.min(input.count, n)) {
    let finite = 0;
    for (let i = 0; i < n; i++) if (!taken[i] && Number.isFinite(nearest[i]!)) finite = Math.max(finite, nearest[i]!);
    let best = -1;
    let bestScore = -Infinity;
    let bestDiversity = 1;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      const diversity = Number.isFinite(nearest[i]!) ? nearest[i]! / (finite || 1) : 1;
      const score = input.uncertainty[i]! * diversity;
      if (score > bestScore) [best, bestScore, bestDiversity] = [i, score, diversity];
    }
    taken[best] = 1;
    picked.push({ index: best, uncertainty: input.uncertainty[best]!, diversity: bestDiversity, meanProbability: input.meanProbability[best]! });
    for (let i = 0; i < n; i++) if (!taken[i]) nearest[i] = Math.min(nearest[i]!, distance(pool, i, pool, best, dim));
  }
  return picked;
}
