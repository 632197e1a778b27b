// Dataset channels: reader profiles, labelling (one action per call, undo/redo), the curation grid's rows and
// counts, "label next", reader agreement and adjudication, versioned splits with the leakage check and fix, the
// folders a run trains on, model scoring (a job) and the Results screen's comparison table, figures, graded runs'
// per-class results and per-image predictions.
import { z } from 'zod';
import { Empty, JobId } from '../contract-base.ts';
import { FramePixelMetaSchema } from './ingest.ts';

const Id = z.number().int().positive();
const RunId = z.string().min(1).max(64);
const Part = z.enum(['train', 'val', 'test']);
export const CurationLabelSchema = z.enum(['positive', 'negative', 'unsure', 'exclude']);
const ReferenceLabel = z.enum(['positive', 'negative', 'unsure', 'exclude', 'disputed']).nullable();

export const ReaderSchema = z.object({ id: z.number(), name: z.string(), senior: z.boolean(), createdAt: z.string() });

const LabelCountsSchema = z.object({
  total: z.number(), positive: z.number(), negative: z.number(), unsure: z.number(), exclude: z.number(), disputed: z.number(), unlabelled: z.number(),
});
const HistorySchema = z.object({ undo: z.number(), redo: z.number() });
/** A selection labelled in one action; null clears the label. */
const LabelInput = z.object({ readerId: Id, itemIds: z.array(Id).min(1).max(20_000), label: CurationLabelSchema.nullable() }).strict();

export const CurationFilterSchema = z
  .object({
    label: z.enum(['positive', 'negative', 'unsure', 'exclude', 'disputed', 'unlabelled']).optional(),
    split: z.enum(['train', 'val', 'test', 'none']).optional(),
    prediction: z.enum(['positive', 'negative', 'unscored']).optional(),
    uncertainty: z.enum(['high', 'medium', 'low']).optional(),
    patient: z.string().max(100).optional(),
    readerId: Id.optional(),
    byReaderId: Id.optional(),
    readerMode: z.enum(['labelled', 'unlabelled']).optional(),
    order: z.enum(['id', 'uncertainty', 'score']).optional(),
  })
  .strict();

export const CurationRowSchema = z.object({
  id: z.number(), label: ReferenceLabel, mine: CurationLabelSchema.nullable(), readers: z.number(), split: Part.nullable(),
  patient: z.string().nullable(), score: z.number().nullable(), uncertainty: z.number().nullable(),
});

const LabelChangeSchema = z.object({ actionId: z.number().nullable(), itemIds: z.array(z.number()), rows: z.array(CurationRowSchema), counts: LabelCountsSchema, history: HistorySchema });

const Ratios = z.object({ train: z.number().min(0).max(100), val: z.number().min(0).max(100), test: z.number().min(0).max(100) }).strict();

export const SplitSummarySchema = z.object({
  id: z.number(), name: z.string(), version: z.number(), origin: z.enum(['built', 'source', 'fixed']), seed: z.number().nullable(),
  ratios: z.object({ train: z.number(), val: z.number(), test: z.number() }).nullable(), level: z.enum(['patient', 'image', 'mixed']),
  warnings: z.array(z.string()), parentId: z.number().nullable(), createdAt: z.string(), createdBy: z.string().nullable(),
  lockedAt: z.string().nullable(), lockedBy: z.string().nullable(), items: z.number(), active: z.boolean(),
});
const PartCountsSchema = z.object({ items: z.number(), positives: z.number(), negatives: z.number(), unlabelled: z.number(), patients: z.number(), imageLevelItems: z.number() });
export const SplitDetailSchema = z.object({
  split: SplitSummarySchema,
  parts: z.object({ train: PartCountsSchema, val: PartCountsSchema, test: PartCountsSchema }),
  groups: z.array(z.object({ patient: z.string().nullable(), part: Part, items: z.number(), positives: z.number(), negatives: z.number(), unlabelled: z.number() })),
  leakage: z.object({
    status: z.enum(['green', 'red']),
    leaks: z.array(z.object({ patient: z.string(), parts: z.object({ train: z.number().optional(), val: z.number().optional(), test: z.number().optional() }), itemIds: z.array(z.number()) })),
    arrivals: z.number(),
    unassigned: z.number(),
  }),
  labelDrift: z.number(),
});

const TrainingClasses = z.enum(['binary', 'graded']).default('binary');
const PartClassCounts = z.object({ positive: z.number(), negative: z.number() });
const MetricSummary = z.object({ mean: z.number(), sd: z.number().nullable(), low: z.number(), high: z.number() });

/** A graded run's test set scored per class (argmax); null where a metric is undefined (class absent, no agreement to chance). */
const GradedRunSchema = z.object({
  runId: z.string(), model: z.string(), seed: z.number(), classNames: z.array(z.string()),
  test: z.object({
    images: z.number(), accuracy: z.number(), macroRocAuc: z.number().nullable(), quadraticKappa: z.number().nullable(), withinOneClass: z.number(),
    perClass: z.array(z.object({ name: z.string(), support: z.number(), precision: z.number(), recall: z.number(), f1: z.number(), rocAuc: z.number().nullable() })),
    /** rows: true class, columns: predicted class */
    confusion: z.array(z.array(z.number())),
  }),
  /** The test confusion heat map as an SVG document. */
  figure: z.string(),
});

/** One run's test AUC under each synthetic shift; the first row is the unshifted split (no difference). */
const ShiftRobustnessSchema = z.object({
  runId: z.string(), model: z.string(), seed: z.number(), images: z.number(), positives: z.number(), replicates: z.number(),
  rows: z.array(z.object({
    shift: z.string(), auc: z.number(), low: z.number(), high: z.number(),
    difference: z.number().nullable(), differenceLow: z.number().nullable(), differenceHigh: z.number().nullable(),
  })),
});

export const TestPredictionSchema = z.object({ id: z.string(), itemId: z.number().nullable(), file: z.string(), label: z.union([z.literal(0), z.literal(1)]), score: z.number() });

export const datasetInvokes = {
  // lastReaderId: the reader this account chose last (null: none yet, or the profile is gone); the app starts under it.
  'dataset.readers': { input: Empty, output: z.object({ account: z.string(), readers: z.array(ReaderSchema), lastReaderId: Id.nullable() }) },
  'dataset.rememberReader': { input: z.object({ readerId: Id }).strict(), output: ReaderSchema },
  'dataset.addReader': { input: z.object({ name: z.string().min(1).max(120), senior: z.boolean().default(false) }).strict(), output: ReaderSchema },
  'dataset.label': { input: LabelInput, output: LabelChangeSchema },
  'dataset.adjudicate': { input: LabelInput, output: LabelChangeSchema },
  'dataset.undo': { input: z.object({ readerId: Id }).strict(), output: LabelChangeSchema },
  'dataset.redo': { input: z.object({ readerId: Id }).strict(), output: LabelChangeSchema },
  'dataset.history': { input: z.object({ readerId: Id }).strict(), output: HistorySchema },
  'dataset.items': {
    input: CurationFilterSchema,
    output: z.object({
      rows: z.array(CurationRowSchema),
      counts: LabelCountsSchema,
      mine: z.object({ labelled: z.number() }).nullable(),
      splitId: z.number().nullable(),
      model: z.object({ runId: z.string(), threshold: z.number(), scored: z.number() }).nullable(),
    }),
  },
  /** One item as the viewer names it: kind (a PNG patch, or a DICOM frame of which instance), source, patient,
   * reference label and part of the active split. */
  'dataset.item': {
    input: z.object({ itemId: Id }).strict(),
    output: z.object({
      id: z.number(), kind: z.enum(['dicom-frame', 'png', 'jpeg']), instanceId: z.number().nullable(), frameIndex: z.number().nullable(),
      width: z.number().nullable(), height: z.number().nullable(), patient: z.string().nullable(), sourceName: z.string().nullable(),
      sourceSplit: z.string().nullable(), label: ReferenceLabel,
      split: z.object({ id: z.number(), name: z.string(), version: z.number(), part: Part }).nullable(),
    }),
  },
  'dataset.next': {
    input: z.object({ readerId: Id, afterId: Id.nullable().default(null) }).strict(),
    output: z.object({ itemId: z.number().nullable(), by: z.enum(['uncertainty', 'order']), remaining: z.number() }),
  },
  'dataset.agreement': {
    input: Empty,
    output: z.object({
      readers: z.array(z.object({ id: z.number(), name: z.string(), senior: z.boolean(), items: z.number() })),
      pairs: z.array(z.object({ first: z.string(), second: z.string(), items: z.number(), agreed: z.number(), kappa: z.number().nullable() })),
      fleiss: z.object({ readers: z.number(), items: z.number(), kappa: z.number().nullable() }).nullable(),
      disagreements: z.array(z.object({ itemId: z.number(), labels: z.record(z.string(), CurationLabelSchema), adjudicated: CurationLabelSchema.nullable() })),
    }),
  },
  'dataset.splits': { input: Empty, output: z.object({ splits: z.array(SplitSummarySchema) }) },
  'dataset.split': { input: z.object({ splitId: Id }).strict(), output: SplitDetailSchema },
  'dataset.buildSplit': {
    input: z.object({ name: z.string().min(1).max(80).default('main'), ratios: Ratios, seed: z.number().int().min(0).max(2 ** 32 - 1), readerId: Id.nullable().default(null) }).strict(),
    output: SplitDetailSchema,
  },
  'dataset.importSplit': { input: z.object({ name: z.string().min(1).max(80).default('imported'), readerId: Id.nullable().default(null) }).strict(), output: SplitDetailSchema },
  'dataset.lockSplit': { input: z.object({ splitId: Id, readerId: Id.nullable().default(null) }).strict(), output: SplitDetailSchema },
  'dataset.fixLeaks': { input: z.object({ splitId: Id, readerId: Id.nullable().default(null) }).strict(), output: SplitDetailSchema },
  'dataset.activateSplit': { input: z.object({ splitId: Id }).strict(), output: SplitSummarySchema },
  'dataset.trainingSource': {
    // binary: no stenosis / stenosis; graded: one class per class and grade of the annotation class list.
    input: z.object({ splitId: Id, classes: TrainingClasses }).strict(),
    output: z.object({
      splitId: z.number(), labeledRoot: z.string(), unlabeledDir: z.string().nullable(),
      counts: z.object({ train: PartClassCounts, val: PartClassCounts, test: PartClassCounts, unlabeled: z.number(), skipped: z.number() }),
      classNames: z.array(z.string()),
      classCounts: z.object({ train: z.array(z.number()), val: z.array(z.number()), test: z.array(z.number()) }).nullable(),
    }),
  },
  'dataset.linkRun': { input: z.object({ runId: RunId, splitId: Id, classes: TrainingClasses }).strict(), output: z.object({ linked: z.boolean() }) },
  'dataset.runSplits': { input: Empty, output: z.object({ runs: z.array(z.object({ runId: z.string(), splitId: z.number() })) }) },
  'dataset.score': { input: z.object({ runId: RunId, scope: z.enum(['all', 'unlabelled']).default('unlabelled') }).strict(), output: z.object({ jobId: JobId }) },
  'results.overview': {
    input: z.object({ runId: RunId.optional() }).strict(),
    output: z.object({
      testSet: z.string().nullable(), images: z.number(), positives: z.number(),
      runs: z.array(z.object({ runId: z.string(), model: z.string(), seed: z.number(), createdAt: z.string() })),
      rows: z.array(z.object({
        model: z.string(), seeds: z.array(z.number()), runIds: z.array(z.string()), metrics: z.record(z.string(), MetricSummary),
        confusion: z.object({ truePositives: z.number(), falseNegatives: z.number(), falsePositives: z.number(), trueNegatives: z.number() }),
      })),
      metricLabels: z.array(z.object({ key: z.string(), label: z.string(), short: z.string() })),
      /** Figures 1–4 as SVG documents drawn by Vega in main (the renderer shows them as images). */
      figures: z.record(z.string(), z.string()),
      otherRuns: z.number(),
      graded: z.array(GradedRunSchema),
      /** Test AUC under synthetic shifts for the first compared run that has them (Fig. 8 is among the figures). */
      shiftRobustness: ShiftRobustnessSchema.nullable(),
      /** When no compared run has them: the command line that measures them for the newest run. */
      shiftCommand: z.string().nullable(),
    }),
  },
  'results.predictions': {
    input: z.object({ runId: RunId }).strict(),
    output: z.object({ runId: z.string(), model: z.string(), seed: z.number(), threshold: z.number(), testSet: z.string(), predictions: z.array(TestPredictionSchema) }),
  },
} as const;

export const datasetSends = {} as const;
export const datasetEvents = {} as const;
export const datasetPixels = {
  /** One of a run's test images (by content hash) as one frame: how rows of a folder-trained run open in the
   * viewer when the image is not in the library. */
  'results.testImage': {
    params: z.object({ runId: RunId, imageId: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    meta: FramePixelMetaSchema,
  },
} as const;
