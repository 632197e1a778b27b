// The run's plan: which stages, how many epochs and steps each, and what is monitored after every epoch.
import type { TrainingConfig } from './config.ts';
import type { StageSpec } from './engine.ts';
import { stepsPerEpoch } from './sampler.ts';
import { classWeightsFor } from './training-classes.ts';

export interface PlannedStage {
  spec: StageSpec;
  epochs: number;
  stepsPerEpoch: number;
  /** knn: SimCLR monitor on labelled train (leave-one-out); val: classifier AUC on the validation split. */
  monitor: 'knn' | 'val';
  earlyStopping: boolean;
}

export interface SetSizes {
  pretrain: number;
  train: number;
  /** Train images per class, in class order (class-list.ts). */
  trainClassCounts: number[];
}

export function planStages(config: TrainingConfig, sizes: SetSizes): PlannedStage[] {
  const batch = config.batchSize;
  const ft = config.finetune;
  const trainSteps = stepsPerEpoch(sizes.train, batch, ft.maxStepsPerEpoch);
  const classWeights = classWeightsFor(sizes.trainClassCounts, ft.classWeights);
  const stages: PlannedStage[] = [];
  if (config.method === 'supervised') {
    stages.push({
      spec: { kind: 'supervised', imageSet: 'train', learningRate: ft.learningRate, weightDecay: ft.weightDecay, totalSteps: ft.epochs * trainSteps, warmupSteps: ft.warmupSteps, classWeights },
      epochs: ft.epochs,
      stepsPerEpoch: trainSteps,
      monitor: 'val',
      earlyStopping: true,
    });
    return stages;
  }
  const pt = config.pretrain;
  const pretrainSteps = stepsPerEpoch(sizes.pretrain, batch, pt.maxStepsPerEpoch);
  if (pt.epochs > 0) {
    stages.push({
      spec: {
        kind: 'pretrain', imageSet: 'pretrain', learningRate: pt.learningRate, weightDecay: pt.weightDecay, totalSteps: pt.epochs * pretrainSteps, warmupSteps: pt.warmupSteps, temperature: pt.temperature,
        ...(pt.objective === 'byol' ? { objective: 'byol' as const, ...(pt.emaMomentum !== undefined ? { emaMomentum: pt.emaMomentum } : {}) } : {}),
      },
      epochs: pt.epochs,
      stepsPerEpoch: pretrainSteps,
      monitor: 'knn',
      earlyStopping: false,
    });
  }
  if (ft.headEpochs > 0) {
    stages.push({
      spec: { kind: 'head', imageSet: 'train', learningRate: ft.headLearningRate, weightDecay: ft.weightDecay, totalSteps: ft.headEpochs * trainSteps, warmupSteps: 0, classWeights },
      epochs: ft.headEpochs,
      stepsPerEpoch: trainSteps,
      monitor: 'val',
      earlyStopping: false,
    });
  }
  stages.push({
    spec: {
      kind: 'finetune', imageSet: 'train', learningRate: ft.learningRate, weightDecay: ft.weightDecay, totalSteps: ft.epochs * trainSteps,
      warmupSteps: ft.warmupSteps, trainableBlocks: ft.trainableBlocks, encoderLrScale: ft.encoderLrScale, classWeights,
      // The pool pretraining reads (unlabelled ∪ labelled train) is the unlabelled set it learns consistency on.
      ...(ft.unlabeledConsistency ? { unlabeled: { imageSet: 'pretrain', ...ft.unlabeledConsistency } } : {}),
    },
    epochs: ft.epochs,
    stepsPerEpoch: trainSteps,
    monitor: 'val',
    earlyStopping: true,
  });
  return stages;
}
