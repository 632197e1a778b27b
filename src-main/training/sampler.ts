// Epoch order: a permutation derived only from (seed, stage, epoch), so the sampler's whole state is three
// numbers plus the position inside the epoch, and a resumed run draws exactly the batches it would have drawn.
import { seededRandom as sharedSeededRandom } from '../random/index.ts';
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** The project's one seeded generator (mulberry32, src-main/random): the same seed gives the same sequence. */
export function seededRandom(seed: number): () => number {
  return sharedSeededRandom(seed).next;
}

export function epochPermutation(count: number, seed: number, stageIndex: number, epoch: number): Int32Array {
  const random = seededRandom(mix32(mix32(mix32(seed) ^ (stageIndex + 1)) ^ (epoch + 0x9e3779b9)));
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}

/** Full batches only: a trailing remainder would give BatchNorm (and NT-Xent) a tiny, noisy batch. */
export function stepsPerEpoch(count: number, batchSize: number, maxSteps: number): number {
  const full = Math.floor(count / batchSize);
  return maxSteps > 0 ? Math.min(full, maxSteps) : full;
}

export function batchAt(order: Int32Array, batchSize: number, step: number): Int32Array {
  return order.subarray(step * batchSize, (step + 1) * batchSize);
}

/**
 * Rank `rank`'s slice of global batch `step` (`batchSize` is the global batch, a multiple of worldSize): the ranks'
 * slices, in rank order, are exactly the batch one process would draw, so every sample is seen once per epoch on
 * any world size, and a checkpoint resumes under another world size at the same place in the same epoch.
 */
export function rankBatchAt(order: Int32Array, batchSize: number, step: number, rank: number, worldSize: number): Int32Array {
  const perRank = batchSize / worldSize;
  return batchAt(order, batchSize, step).subarray(rank * perRank, (rank + 1) * perRank);
}
