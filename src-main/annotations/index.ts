// The annotations capability: boxes on frames, patches from boxes, box files, and the stored full-frame detection
// evaluations (their scoring rules live in evaluation).
export { AnnotationService, type HeatmapSource, type BoxFileFormat } from './service.ts';
export { DEFAULT_PATCH_PARAMS, PATCH_RECIPE_VERSION, planFramePatches, positiveSquare, cutAndResize, type PatchParams } from './patch-recipe.ts';
export { evaluationById, evaluationIsCurrent, latestEvaluation, type DetectionEvaluation, type EvaluationParams } from './detection-evaluations.ts';
export { DEFAULT_CLASS_LIST, type ClassList, readClassList } from './class-list.ts';
export { type Box, listBoxes } from './box-store.ts';
export { annotationsHandlers } from './ipc.ts';
