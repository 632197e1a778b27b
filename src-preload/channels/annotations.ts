// Annotation channels: boxes (and point + radius marks) on frames with their history, the class list, patch
// generation from boxes with its versioned recipe, box files (CSV, JSON, Pascal VOC XML), and full-frame
// detection scoring (FROC) of a model's sliding-window heatmaps against the boxes.
import { z } from 'zod';
import { Empty } from '../contract-base.ts';

const Id = z.number().int().positive();
const Reader = z.string().max(200).nullable().default(null);
const Pixels = z.number().int().min(0).max(65_535);
const Side = z.number().int().min(1).max(65_535);
const Label = z.string().min(1).max(100);
const Grade = z.string().max(40).nullable();

export const BoxSchema = z.object({
  id: z.number(),
  instanceId: z.number(),
  frame: z.number(),
  patientId: z.number(),
  studyId: z.number(),
  shape: z.enum(['box', 'point']),
  x: z.number(),
  y: z.number(),
  width: z.number(),
  height: z.number(),
  label: z.string(),
  grade: z.string().nullable(),
  reader: z.string().nullable(),
  revision: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BoxRow = z.infer<typeof BoxSchema>;

export const ClassListSchema = z.object({
  classes: z.array(z.object({ name: z.string().min(1).max(100), grades: z.array(z.string().max(40)).max(20) })).min(1).max(50),
  gradesEnabled: z.boolean(),
});

export const PatchParamsSchema = z
  .object({
    recipe: z.literal('padsd-boxes-v1'),
    outputSize: z.number().int().min(8).max(512),
    minSide: z.number().int().min(1).max(4096),
    negatives: z.boolean(),
    avoidOtherBoxes: z.boolean(),
    background: z.object({ perFrame: z.number().int().min(0).max(100), side: z.number().int().min(8).max(4096), margin: z.number().int().min(0).max(4096), seed: z.number().int() }).strict(),
  })
  .strict();

const PatchRole = z.enum(['positive', 'left', 'right', 'above', 'below', 'background']);
const InstanceFilter = z.array(Id).max(10_000).optional();
const FileFormat = z.enum(['csv', 'json', 'voc']);

export const PatchSetSchema = z.object({
  patchSetId: z.number(),
  recipe: z.string(),
  params: PatchParamsSchema,
  paramsHash: z.string(),
  counts: z.object({
    boxes: z.number(), frames: z.number(), positive: z.number(), negative: z.number(), background: z.number(), existing: z.number(),
    skipped: z.record(z.string(), z.number()),
  }),
  patches: z.array(z.object({
    itemId: z.number(), role: PatchRole, label: z.enum(['positive', 'negative']), boxId: z.number().nullable(), instanceId: z.number(), frame: z.number(),
    patientId: z.number(), x: z.number(), y: z.number(), side: z.number(), existing: z.boolean(),
  })),
});

export const DetectionScoreSchema = z.object({
  version: z.string(),
  frames: z.number(),
  boxes: z.number(),
  candidates: z.array(z.object({ frame: z.string(), x: z.number(), y: z.number(), score: z.number(), outcome: z.enum(['hit', 'duplicate', 'false-positive']), box: z.number().nullable() })),
  froc: z.array(z.object({ threshold: z.number(), sensitivity: z.number(), fpPerFrame: z.number(), hits: z.number(), falsePositives: z.number() })),
  atFpRates: z.array(z.object({ fpPerFrame: z.number(), sensitivity: z.number(), threshold: z.number().nullable() })),
  meanSensitivity: z.number(),
  perClass: z.array(z.object({ label: z.string(), boxes: z.number(), hitAtAnyThreshold: z.number() })),
  perFrame: z.array(z.object({ frame: z.string(), boxes: z.number(), hits: z.number(), falsePositives: z.number(), bestHitScore: z.number().nullable() })),
  frameKeys: z.array(z.object({ instanceId: z.number(), frame: z.number(), key: z.string() })),
});

/** A kept full-frame evaluation: which model version, how it scanned, when, its score, and the FROC figure (SVG). */
export const DetectionEvaluationSchema = z.object({
  id: z.number(),
  modelPath: z.string(),
  modelVersion: z.string(),
  params: z.object({ patchSize: z.number(), stride: z.number(), hitMargin: z.number(), fpRates: z.array(z.number()), instanceIds: z.array(z.number()).nullable() }),
  createdAt: z.string(),
  score: DetectionScoreSchema,
  /** False when boxes were added, edited or deleted since: the score no longer describes the boxes drawn now. */
  current: z.boolean(),
  /** True when the kept evaluation was answered instead of scanning again (same model version, parameters, boxes). */
  reused: z.boolean(),
  /** Drawn by Vega in main, as the Results screen's other figures (the renderer shows it as an image). */
  frocFigure: z.string(),
});

export const annotationsInvokes = {
  'annotations.classes.get': { input: Empty, output: ClassListSchema },
  'annotations.classes.set': { input: z.object({ classList: ClassListSchema, reader: Reader }).strict(), output: ClassListSchema },
  /** Boxes of one instance (every frame), or of every instance when none is named. */
  'annotations.list': { input: z.object({ instanceId: Id.optional() }).strict(), output: z.object({ boxes: z.array(BoxSchema) }) },
  'annotations.create': {
    input: z
      .object({ instanceId: Id, frame: z.number().int().min(0), shape: z.enum(['box', 'point']).default('box'), x: Pixels, y: Pixels, width: Side, height: Side, label: Label, grade: Grade.default(null), reader: Reader })
      .strict(),
    output: z.object({ box: BoxSchema }),
  },
  'annotations.update': {
    input: z
      .object({ id: Id, revision: z.number().int().min(1), x: Pixels.optional(), y: Pixels.optional(), width: Side.optional(), height: Side.optional(), label: Label.optional(), grade: Grade.optional(), reader: Reader })
      .strict(),
    output: z.object({ box: BoxSchema }),
  },
  'annotations.delete': { input: z.object({ id: Id, reader: Reader }).strict(), output: z.object({ deleted: z.literal(true) }) },
  'annotations.history': {
    input: z.object({ id: Id }).strict(),
    /** before / after: the box as it was and became (null before a create and after a delete). */
    output: z.object({ changes: z.array(z.object({ revision: z.number(), action: z.string(), reader: z.string().nullable(), at: z.string(), before: BoxSchema.nullable(), after: BoxSchema.nullable() })) }),
  },
  'annotations.recipe': { input: Empty, output: z.object({ version: z.string(), defaults: PatchParamsSchema, summary: z.array(z.string()) }) },
  'annotations.generatePatches': {
    input: z.object({ params: PatchParamsSchema, instanceIds: InstanceFilter, boxIds: z.array(Id).max(10_000).optional(), reader: Reader }).strict(),
    output: PatchSetSchema,
  },
  'annotations.patchSets': {
    input: Empty,
    output: z.object({ sets: z.array(z.object({ id: z.number(), recipe: z.string(), params: PatchParamsSchema, paramsHash: z.string(), counts: PatchSetSchema.shape.counts, reader: z.string().nullable(), createdAt: z.string(), items: z.number() })) }),
  },
  'annotations.export': {
    input: z.object({ format: FileFormat, instanceIds: InstanceFilter, reader: Reader }).strict(),
    output: z.object({ files: z.array(z.object({ name: z.string(), text: z.string() })), boxes: z.number() }),
  },
  'annotations.import': {
    input: z
      .object({
        format: FileFormat,
        text: z.string().max(20_000_000),
        /** The frame the boxes go on (an ADSD VOC file names its own image, not a frame of the library). */
        target: z.object({ instanceId: Id, frame: z.number().int().min(0) }).strict().optional(),
        zeroBased: z.boolean().default(false),
        reader: Reader,
      })
      .strict(),
    output: z.object({ boxes: z.array(BoxSchema) }),
  },
  /**
   * Scans every frame with boxes with a model file's sliding window and scores the heatmaps against the boxes; the
   * result is kept, and answered again without scanning for the same model version, parameters and boxes unless
   * `fresh`.
   */
  'annotations.evaluate': {
    input: z
      .object({
        modelPath: z.string().min(1).max(4096),
        instanceIds: InstanceFilter,
        patchSize: z.number().int().min(8).max(1024).default(64),
        stride: z.number().int().min(1).max(1024).default(32),
        fpRates: z.array(z.number().positive()).min(1).max(20).optional(),
        hitMargin: z.number().int().min(0).max(256).default(0),
        fresh: z.boolean().default(false),
      })
      .strict(),
    output: DetectionEvaluationSchema,
  },
  /** How many boxes and frames with boxes there are, and the newest kept evaluation (null before the first). */
  'annotations.evaluationStatus': {
    input: Empty,
    output: z.object({ boxes: z.number(), framesWithBoxes: z.number(), latest: DetectionEvaluationSchema.nullable() }),
  },
} as const;
