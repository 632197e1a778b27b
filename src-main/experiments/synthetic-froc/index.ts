// Synthetic FROC on real frames: held-out patches pasted at known places with smooth blending, scanned and scored.
export { pasteBlended, blendWeight, featherWidth, type Grey8 } from './paste.ts';
export { planPlacements, type FramePlan, type PatchRef, type Placement, type PlanOptions } from './placements.ts';
export { syntheticFroc, composeFrame, type FrameHeatmap, type SyntheticFroc, type SyntheticFrocInput } from './synthetic-froc.ts';
