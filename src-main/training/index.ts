// Training capability: config schema, versioned preprocessing, the engine-driving loop and the run service.
export { TrainingConfigSchema, parseTrainingConfig, type TrainingConfig, type TrainingConfigInput, type DatasetSource } from './config.ts';
export { preprocessPatch, preprocessingSpec, PREPROCESSING_VERSION, type PreprocessingSpec } from './preprocessing.ts';
export { runTraining, type TrainingProgress, type TrainingResult } from './driver.ts';
export { TrainingService } from './service.ts';
export { trainingHandlers } from './ipc.ts';
