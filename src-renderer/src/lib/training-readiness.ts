// Whether a locked split can feed a run with this configuration, checked before anything starts: the engine only
// ever trains on full batches, so a training part smaller than one batch gives a stage with no steps, which would
// fail inside the engine with words about totalSteps. The sentence says what to change instead.
import { trainingInvokes } from '../../../src-preload/channels/training.ts';

const configSchema = trainingInvokes['training.start'].input.shape.config;

export interface PartCounts {
  positive: number;
  negative: number;
}

/** Why this split cannot train with this configuration (one sentence naming what to change), or null when it can. */
export function splitReadinessProblem(counts: { train: PartCounts }, config: unknown): string | null {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) return null; // the configuration's own problems are listed beside it
  const batch = parsed.data.batchSize;
  const train = counts.train.positive + counts.train.negative;
  if (train < batch) {
    const images = `${train} labelled training image${train === 1 ? '' : 's'}`;
    return train < 2
      ? `${images} and batch ${batch}: label more images (at least ${batch} in the training part), or lower the batch once there are some.`
      : `${images} and batch ${batch}: lower the batch to ${train} or less in the configuration, or label more images for the training part.`;
  }
  return null;
}
