// Inference channels: readouts for one image or cine frame, a cine scan as a job, and saliency and scan heatmaps
// over the binary pixel path (float32 maps or RGBA overlays aligned to the source pixels).
import { z } from 'zod';
import { Empty, JobId } from '../contract-base.ts';

const FilePath = z.string().min(1).max(4096);

/**
 * An image to read: a PNG patch or DICOM file by path, or a library image or dataset item by id (main finds its
 * stored copy, so the renderer never handles catalog paths); plus the frame (0-based) of a multi-frame file.
 */
const targetShape = {
  modelPath: FilePath,
  imagePath: FilePath.optional(),
  instanceId: z.number().int().positive().optional(),
  itemId: z.number().int().positive().optional(),
  frame: z.number().int().min(0).max(100_000).default(0),
};
// Refined objects cannot be extended, so each channel spreads the shape and adds the same refinement.
const oneImage = (target: { imagePath?: string | undefined; instanceId?: number | undefined; itemId?: number | undefined }) =>
  [target.imagePath, target.instanceId, target.itemId].filter((given) => given !== undefined).length === 1;
const oneImageMessage = { message: 'Give exactly one of imagePath, instanceId or itemId.' };

export const InferenceTarget = z.object(targetShape).strict().refine(oneImage, oneImageMessage);

export const QuantumReadoutSchema = z.object({
  expectations: z.array(z.number()),
  baselineProbability: z.number(),
  contribution: z.number(),
  ablationDeltas: z.array(z.number()),
});

export const ImageReadoutSchema = z.object({
  probability: z.number(),
  decision: z.enum(['stenosis', 'no stenosis']),
  threshold: z.number(),
  quantum: QuantumReadoutSchema.nullable(),
  ood: z.object({
    outOfDistribution: z.boolean(),
    imageZ: z.number(),
    imageStatistic: z.string(),
    featureDistanceRatio: z.number(),
    reasons: z.array(z.string()),
  }),
  uncertainty: z.object({ passes: z.number().int(), std: z.number(), bald: z.number() }),
  summary: z.string(),
  modelVersion: z.string(),
  /** Graded models: each class's probability, most probable first. */
  classes: z.array(z.object({ name: z.string(), probability: z.number() })).nullable().optional(),
  width: z.number().int(),
  height: z.number().int(),
});
export type ImageReadoutValue = z.infer<typeof ImageReadoutSchema>;

const OodSchema = z.object({
  outOfDistribution: z.boolean(),
  imageZ: z.number(),
  imageStatistic: z.string(),
  featureDistanceRatio: z.number(),
  reasons: z.array(z.string()),
});

/** One region of a scanned frame read as a patch: its box on the frame (pixels), scores and caveats. */
export const LesionCandidateSchema = z.object({
  frame: z.number().int(),
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  probability: z.number(),
  /** Standard deviation of P(stenosis) over the MC-dropout passes. */
  uncertainty: z.number(),
  ood: OodSchema,
  /** The reading in the report's words ("stenosis suspected", "out of distribution (unlike the training images)"). */
  reading: z.string(),
  quantumContribution: z.number().nullable(),
  classes: z.array(z.object({ name: z.string(), probability: z.number() })).nullable(),
  /** A cine run: the first and last frame (0-based) its lesion is seen on, overlapping on each neighbouring frame. */
  firstFrame: z.number().int().nullable(),
  lastFrame: z.number().int().nullable(),
});
export type LesionCandidateValue = z.infer<typeof LesionCandidateSchema>;

/**
 * Predict on any image: a patch-sized one is read whole (the readout); a frame larger than 1.5 model inputs is
 * scanned, never squeezed into one input, and its findings are lesion candidates, best first; the frame's
 * probability is its best candidate's.
 */
export const LocatedSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('patch'), readout: ImageReadoutSchema }),
  z.object({
    kind: z.literal('scan'),
    probability: z.number(),
    decision: z.enum(['stenosis', 'no stenosis']),
    threshold: z.number(),
    modelVersion: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    window: z.object({ pixels: z.number().int(), millimetres: z.number().nullable(), note: z.string() }),
    windowCount: z.number().int(),
    candidates: z.array(LesionCandidateSchema),
  }),
]);
export type LocatedValue = z.infer<typeof LocatedSchema>;

const ScanSettings = {
  patchSize: z.number().int().min(8).max(1024).default(64),
  stride: z.number().int().min(1).max(1024).default(32),
};

const ColourScaleSchema = z.object({
  name: z.string(),
  limit: z.number(),
  unit: z.string(),
  stops: z.array(z.object({ value: z.number(), rgb: z.tuple([z.number(), z.number(), z.number()]) })),
});

const DrawingRole = z.enum(['background', 'title', 'layer-band', 'layer-band-alt', 'layer-label', 'wire', 'wire-label', 'readout-label', 'link', 'control', 'target', 'target-cross', 'gate-encoding', 'gate-rotation', 'gate-label', 'angle-label']);

/** The quantum layer's circuit as drawing primitives (src-main/quantum/circuit-drawing.ts): data, never markup. */
export const CircuitDrawingSchema = z.object({
  width: z.number(),
  height: z.number(),
  qubits: z.number().int(),
  title: z.string(),
  primitives: z.array(
    z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('line'), role: DrawingRole, x1: z.number(), y1: z.number(), x2: z.number(), y2: z.number(), wire: z.number().int().optional() }),
      z.object({ kind: z.literal('rect'), role: DrawingRole, x: z.number(), y: z.number(), width: z.number(), height: z.number() }),
      z.object({ kind: z.literal('circle'), role: DrawingRole, cx: z.number(), cy: z.number(), r: z.number() }),
      z.object({ kind: z.literal('text'), role: DrawingRole, x: z.number(), y: z.number(), text: z.string(), size: z.number(), anchor: z.enum(['start', 'middle']) }),
    ]),
  ),
});

export const ModelSummarySchema = z.object({
  path: z.string(),
  name: z.string(),
  modelVersion: z.string(),
  createdAt: z.string(),
  encoder: z.string(),
  imageSize: z.number().int(),
  threshold: z.number(),
  trainingImages: z.number().int(),
  /** Null when the model has no quantum layer. */
  circuit: z.object({ qubits: z.number().int(), layers: z.number().int(), rotation: z.string(), entangler: z.string(), reupload: z.boolean(), drawing: CircuitDrawingSchema }).nullable(),
});
export type ModelSummary = z.infer<typeof ModelSummarySchema>;

const ScanRegionSchema = z.object({ x: z.number().int(), y: z.number().int(), size: z.number().int(), probability: z.number() });

/** The result a finished 'inference.scanCine' job carries (job.finished's `result`): per-frame summaries. */
export const CineScanSchema = z.object({
  frames: z.array(z.object({ frame: z.number().int(), maxProbability: z.number(), regions: z.array(ScanRegionSchema) })),
  /** Top regions overlapping on neighbouring frames grouped as one lesion with its frame range, best first (at most 5 reaching the threshold). */
  lesions: z.array(z.object({ firstFrame: z.number().int(), lastFrame: z.number().int(), best: ScanRegionSchema.extend({ frame: z.number().int() }) })),
  peakFrame: z.number().int(),
});

const FrameBoxSchema = z.object({ x: z.number().int().min(0), y: z.number().int().min(0), width: z.number().int().min(8).max(4096), height: z.number().int().min(8).max(4096) }).strict();

const MapFormat = z.enum(['float32', 'rgba8']).default('rgba8');
const SaliencyDetailSchema = z.enum(['coarse', 'fine']);

export const inferenceInvokes = {
  'inference.predict': { input: InferenceTarget, output: ImageReadoutSchema },
  /** What the Viewer's Predict asks: a patch read whole, or a frame's lesion candidates from the scan (LocatedSchema). */
  'inference.locate': { input: InferenceTarget, output: LocatedSchema },
  /** A cine run scanned frame by frame as a job (progress per frame, cancellable); the result is CineScanSchema. */
  'inference.scanCine': {
    input: z.object({ modelPath: targetShape.modelPath, imagePath: targetShape.imagePath, instanceId: targetShape.instanceId, ...ScanSettings }).strict().refine(oneImage, oneImageMessage),
    output: z.object({ jobId: JobId }),
  },
  /** What a model file says about itself, with its quantum layer's circuit drawing; loads (and caches) the model. */
  'inference.model': { input: z.object({ modelPath: FilePath }).strict(), output: ModelSummarySchema },
  /** Model files used recently (newest first), a setting. */
  'inference.models.recent': { input: Empty, output: z.object({ models: z.array(z.string()) }) },
  'inference.models.remember': { input: z.object({ modelPath: FilePath }).strict(), output: z.object({ models: z.array(z.string()) }) },
} as const;

export const inferencePixels = {
  /**
   * Occlusion saliency: float32 = signed change in P(stenosis) per source pixel; rgba8 = its overlay. With `box` (a
   * lesion candidate's), the box is read as its patch and the map, frame-sized, is empty outside it. `detail`:
   * 'coarse' hides squares twice the fine side laid side by side (16 at a 64-px input: one small model call, drawn at
   * once); 'fine' (the default) 8-px squares in steps of 4. Main keeps the recent images' scores, so neither map
   * encodes again what a Predict or the other map already did. `probability` is the image's own score, the number
   * its readout shows.
   */
  'inference.saliency': {
    params: z.object({ ...targetShape, format: MapFormat, box: FrameBoxSchema.optional(), detail: SaliencyDetailSchema.default('fine') }).strict().refine(oneImage, oneImageMessage),
    meta: z.object({
      width: z.number().int(),
      height: z.number().int(),
      format: z.enum(['float32', 'rgba8']),
      probability: z.number(),
      scale: ColourScaleSchema,
      detail: SaliencyDetailSchema,
      /** The occluding square's side and step, in model input pixels. */
      window: z.number().int(),
      stride: z.number().int(),
    }),
  },
  /** Sliding-window scan of one frame: float32 = mean P(stenosis) per pixel; rgba8 = its overlay (from 0.5). */
  'inference.heatmap': {
    params: z.object({ ...targetShape, ...ScanSettings, format: MapFormat }).strict().refine(oneImage, oneImageMessage),
    meta: z.object({
      width: z.number().int(),
      height: z.number().int(),
      format: z.enum(['float32', 'rgba8']),
      windowCount: z.number().int(),
      maxProbability: z.number(),
      /** The top windows (non-overlapping, highest mean P first) to outline on the frame. */
      regions: z.array(ScanRegionSchema),
      scale: ColourScaleSchema,
    }),
  },
} as const;
