// The annotations capability: boxes on frames, patches from boxes, box files, full-frame detection scoring.
export { AnnotationService, type HeatmapSource, type BoxFileFormat } from './service.ts';
export { DEFAULT_PATCH_PARAMS, PATCH_RECIPE_VERSION, planFramePatches, positiveSquare, cutAndResize, type PatchParams } from './patch-recipe.ts';
export { scoreDetections, heatmapPeaks, DETECTION_SCORING_VERSION, DEFAULT_FP_RATES, type DetectionScore, type HeatmapFrame } from './detection-scoring.ts';
export { evaluationById, evaluationIsCurrent, latestEvaluation, type DetectionEvaluation, type EvaluationParams } from './detection-evaluations.ts';
export { DEFAULT_CLASS_LIST, type ClassList } from './class-list.ts';
export type { Box } from './box-store.ts';
