// What every exporter consumes: findings (one model readout on one frame of one stored instance) and the model
// card of the model that produced them. Inference and training fill these; exporters never compute results.
import type { GradedEvaluation } from '../evaluation/index.ts';
import type { ScoredBox } from '../inference/index.ts';

/** The colour scale a saliency overlay was drawn on (inference/saliency/colour-scale.ts). */
export interface OverlayScale {
  name: string;
  /** |value| that maps to full colour. */
  limit: number;
  unit: string;
  stops: { value: number; rgb: [number, number, number] }[];
}

export interface SaliencyOverlay {
  width: number;
  height: number;
  /** RGBA, width × height × 4, aligned to the source frame's pixels. */
  rgba: Uint8Array;
  scale: OverlayScale;
}

/** A region the frame scan flagged (inference/scanning/lesion-candidates.ts): a box in the source frame's pixels. */
export interface FindingCandidate extends ScoredBox {
  outOfDistribution: boolean;
  /** The Viewer's reasons (clauses), empty when in distribution. */
  oodReasons: string[];
  /**
   * A cine run: the first and last frame (0-based) of the lesion this candidate belongs to, its box overlapping a box
   * of the group on each neighbouring frame between. Absent for a single-frame image.
   */
  firstFrame?: number;
  lastFrame?: number;
  /** The scan window's side in millimetres where the model's patches and the frame both gave a scale; absent: pixels. */
  windowMm?: number;
}

export interface Finding {
  id: number;
  studyId: number;
  instanceId: number;
  /** 0-based frame of the instance the model read. */
  frameIndex: number;
  probability: number;
  decision: 'stenosis' | 'no stenosis';
  threshold: number;
  /** Share of the score the quantum layer accounts for (null: the model has no quantum layer). */
  quantumContribution: number | null;
  saliency: SaliencyOverlay | null;
  modelVersion: string;
  createdAt: string;
  /** Graded models: each class's probability, most probable first; null or absent for a binary model. */
  classes?: { name: string; probability: number }[] | null;
  /**
   * A frame larger than the model's patch is scanned, never read whole: its lesion candidates, best first, whose
   * first gives the finding's probability, decision, quantum contribution and saliency. Null or absent: read whole.
   */
  candidates?: FindingCandidate[] | null;
}

export interface ValidationMetric {
  metric: string;
  value: number;
  low: number;
  high: number;
  /** e.g. 0.95 */
  confidence: number;
}

export interface ModelCard {
  modelVersion: string;
  name: string;
  /** When the model file was made. */
  createdAt: string;
  trainingImages: number;
  /** Validation metrics with their intervals; empty when none were recorded for this model. */
  validation: ValidationMetric[];
  /** Where the validation numbers come from (split, images, interval method). */
  validationNote: string;
  /** Graded models: the class names and, when the run recorded it, validation per class (most probable class decides). */
  classes?: { names: string[]; validation: GradedEvaluation | null };
}
