// Scoring images with a trained model: ONNX export and runtime, readouts, saliency, frame scanning and uncertainty.
// Only what other folders use is exported here.
export { engineArchitecture, engineWeights } from './export/engine-model.ts';
export { exportClassifier } from './export/export-classifier.ts';
export { type ImageReadout, prepareBatch, readImages } from './image-readouts.ts';
export { readGreyImage, readScaledImage } from './image-source.ts';
export { InferenceService, type LocatedFindings, MC_PASSES } from './inference-service.ts';
export { inferenceHandlers } from './ipc.ts';
export { decodeModelFile } from './model-file/model-file.ts';
export { modelCalibration, networkThreshold, withCalibration } from './model-file/calibrated-model.ts';
export type { ModelCalibration } from './model-file/manifest.ts';
export { type GreyImage, toGrey8 } from './preprocess.ts';
export { ClassifierRuntime } from './runtime/classifier-runtime.ts';
export { occlusionSaliency } from './saliency/occlusion.ts';
export { boxSaliency } from './saliency/box-saliency.ts';
export { candidateFrameRanges, type FrameRange, RUN_REACH } from './scanning/run-ranges.ts';
export { frameRangeWords, groupAcrossFrames, type LesionGroup } from './scanning/lesion-groups.ts';
export { frameCandidates, isFrameSized, type LesionCandidate, scoredBox, type ScoredBox } from './scanning/lesion-candidates.ts';
export type { FrameScale } from './scanning/physical-scale.ts';
export { oodSentence, readingWords, uncertaintyWords } from './scanning/reading-words.ts';
export { rankForLabelling } from './uncertainty/label-next.ts';
export type { TrainingRecord } from './model-file/manifest.ts';
export { rememberModel } from './recent-models.ts';
