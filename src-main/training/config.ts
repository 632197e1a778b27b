// What a training run is asked to do. The schema is part of the IPC contract, so it is defined in src-preload
// (the contract depends on nothing of main's) and main's training code reads it through this module.
export {
  DatasetSourceSchema,
  ENCODERS,
  METHODS,
  parseTrainingConfig,
  TrainingConfigSchema,
  type DatasetSource,
  type TrainingConfig,
  type TrainingConfigInput,
} from '../../src-preload/schemas/training-config.ts';
