// A run small enough to train in seconds on the real P-ADSD folders yet with every stage of the product model
// (SimCLR pretraining, head, fine-tuning) and four checkpoints: what the kill -9 tests resume again and again.
import type { TrainingConfigInput } from '../config.ts';

export const SMALL_RUN_CONFIG: TrainingConfigInput = {
  method: 'ssl-quantum',
  encoder: 'simple_cnn',
  imageSize: 32,
  batchSize: 16,
  seed: 11,
  pretrain: { epochs: 1, maxStepsPerEpoch: 6, warmupSteps: 2, unlabeledLimit: 200, knnNeighbours: 5 },
  finetune: { headEpochs: 1, epochs: 2, maxStepsPerEpoch: 6, trainableBlocks: 2, patience: 5 },
};
