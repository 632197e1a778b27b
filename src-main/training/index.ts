// Training capability: config schema, the engine-driving loop, run records and the run service.
export { TrainingConfigSchema, parseTrainingConfig, type TrainingConfig, type TrainingConfigInput, type DatasetSource } from './config.ts';
export { runTraining, type DriverOptions, type TrainingData, type TrainingProgress, type TrainingResult } from './driver.ts';
export { codeVersion, TrainingService } from './service.ts';
export { trainingHandlers } from './ipc.ts';
export { pinCpuKernels, relaunchPinned, reproduciblePins } from './cpu-kernels.ts';
export { type ImageSet, loadLabeledSplit } from './dataset.ts';
export { type DistributedSpec, type EngineAddon, loadEngine, sessionSpecFor } from './engine.ts';
export { INFERENCE_MODEL_FILE } from './inference-export.ts';
export { machineLine, type MachineProfile } from './machine-profile.ts';
export { describeMachine, readCpuInfo, widestIsa } from './machine.ts';
export { rocAuc } from './roc.ts';
export { executeRun, type RunJob } from './run-job.ts';
export { getRun, listRuns, type RunRecord } from './runs.ts';
export { openRunFolder, readRunFolder, rememberedRunFolders, type FolderRun, type RunFolder } from './run-folders.ts';
export { BINARY_CLASSES, CLASSES_FILE, classNames, readTrainingClassList, type TrainingClassList } from './training-classes.ts';
export { loadTrainingData } from './training-data.ts';
export type { NamedArray, SessionSpec } from './engine.ts';
export { PATCH_SCALE_FILE, type PatchScaleFile, trainingPatchScale } from './patch-scale.ts';
