// Inference channels: readouts for one image or cine frame, a cine scan as a job, and saliency and scan heatmaps
// over the binary pixel path (float32 maps or RGBA overlays aligned to the source pixels).
import { z } from 'zod';
import { JobId } from '../contract-base.ts';

const FilePath = z.string().min(1).max(4096);

/** An image to read: a PNG patch, or one frame (0-based) of a DICOM file. */
export const InferenceTarget = z
  .object({ modelPath: FilePath, imagePath: FilePath, frame: z.number().int().min(0).max(100_000).default(0) })
  .strict();

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
  width: z.number().int(),
  height: z.number().int(),
});
export type ImageReadoutValue = z.infer<typeof ImageReadoutSchema>;

const ScanSettings = {
  patchSize: z.number().int().min(8).max(1024).default(64),
  stride: z.number().int().min(1).max(1024).default(32),
};

const ScanRegionSchema = z.object({ x: z.number().int(), y: z.number().int(), size: z.number().int(), probability: z.number() });

const MapFormat = z.enum(['float32', 'rgba8']).default('rgba8');

export const inferenceInvokes = {
  'inference.predict': { input: InferenceTarget, output: ImageReadoutSchema },
  'inference.scanCine': {
    input: z.object({ modelPath: FilePath, imagePath: FilePath, ...ScanSettings }).strict(),
    output: z.object({ jobId: JobId }),
  },
} as const;

export const inferencePixels = {
  /** Occlusion saliency: float32 = signed change in P(stenosis) per source pixel; rgba8 = its overlay. */
  'inference.saliency': {
    params: InferenceTarget.extend({ format: MapFormat }).strict(),
    meta: z.object({
      width: z.number().int(),
      height: z.number().int(),
      format: z.enum(['float32', 'rgba8']),
      probability: z.number(),
      scale: z.object({
        name: z.string(),
        limit: z.number(),
        unit: z.string(),
        stops: z.array(z.object({ value: z.number(), rgb: z.tuple([z.number(), z.number(), z.number()]) })),
      }),
    }),
  },
  /** Sliding-window scan of one frame: float32 = mean P(stenosis) per pixel; rgba8 = its overlay (from 0.5). */
  'inference.heatmap': {
    params: InferenceTarget.extend({ ...ScanSettings, format: MapFormat }).strict(),
    meta: z.object({
      width: z.number().int(),
      height: z.number().int(),
      format: z.enum(['float32', 'rgba8']),
      windowCount: z.number().int(),
      maxProbability: z.number(),
      regions: z.array(ScanRegionSchema),
    }),
  },
} as const;
