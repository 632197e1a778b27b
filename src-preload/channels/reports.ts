// Reports channels: findings computed for a study with a model file, the export modes (research / PACS, with the
// reason when PACS is unavailable), and the exports: study PDF, study DICOM (SR + Secondary Captures), experiment
// report PDF and predictions CSV. Every export names a target folder and a plain file name (no paths).
import { z } from 'zod';
import { Empty } from '../contract-base.ts';

const Id = z.number().int().positive();
const Folder = z.string().min(1).max(4096);
const FileName = z.string().min(1).max(200);
const Reader = z.string().max(200).nullable().default(null);

export const FindingSummarySchema = z.object({
  id: z.number(),
  instanceId: z.number(),
  frameIndex: z.number(),
  probability: z.number(),
  decision: z.enum(['stenosis', 'no stenosis']),
  threshold: z.number(),
  quantumContribution: z.number().nullable(),
  modelVersion: z.string(),
  hasSaliency: z.boolean(),
  /** Graded models: each class's probability, most probable first. */
  classes: z.array(z.object({ name: z.string(), probability: z.number() })).nullable().optional(),
  /** A frame larger than the model's patch: its lesion candidates from the frame scan, best first (boxes in frame pixels). */
  candidates: z
    .array(z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number(), probability: z.number(), uncertainty: z.number(), outOfDistribution: z.boolean(), oodReasons: z.array(z.string()), firstFrame: z.number().int().optional(), lastFrame: z.number().int().optional(), windowMm: z.number().optional() }))
    .nullable()
    .optional(),
});

/** An experiment record (JSON, src-main/reports/experiment.ts) as the evaluation layer writes it. */
const ExperimentSource = { experimentPath: z.string().min(1).max(4096) };

export const reportsInvokes = {
  'reports.modes': {
    input: Empty,
    output: z.object({
      research: z.object({ available: z.literal(true), description: z.string() }),
      pacs: z.object({ available: z.boolean(), description: z.string(), reason: z.string().nullable() }),
    }),
  },
  'reports.studies': {
    input: Empty,
    output: z.object({ studies: z.array(z.object({ id: z.number(), pseudonym: z.string(), studyDate: z.string().nullable(), images: z.number(), findings: z.number() })) }),
  },
  'reports.findings': { input: z.object({ studyId: Id }).strict(), output: z.object({ findings: z.array(FindingSummarySchema) }) },
  'reports.computeFindings': {
    input: z
      .object({
        studyId: Id,
        modelPath: z.string().min(1).max(4096),
        targets: z.array(z.object({ instanceId: Id, frame: z.number().int().min(0).max(100_000) }).strict()).max(64).optional(),
        validation: z.object({ dir: z.string().min(1).max(4096), perClass: z.number().int().min(0).max(10_000).default(0) }).strict().nullable().default(null),
        reader: Reader,
      })
      .strict(),
    output: z.object({ modelVersion: z.string(), findings: z.array(FindingSummarySchema) }),
  },
  'reports.studyPdf': {
    input: z.object({ studyId: Id, folder: Folder, name: FileName, identified: z.boolean().default(false), reader: Reader }).strict(),
    output: z.object({ path: z.string(), pages: z.number(), findings: z.number() }),
  },
  /** The study's reader marks (boxes) as one Comprehensive SR with SCOORD regions on their source frames. */
  'reports.marksSr': {
    input: z.object({ studyId: Id, folder: Folder, name: FileName, mode: z.enum(['research', 'pacs']), reader: Reader }).strict(),
    output: z.object({ path: z.string(), sopInstanceUid: z.string(), marks: z.number() }),
  },
  /** The study's saved QCA measurements: a PDF (frame pictures, diameter curves, figures with calibration) and a Comprehensive SR (TID 1500 style). */
  'reports.qcaExport': {
    input: z.object({ studyId: Id, folder: Folder, name: FileName, mode: z.enum(['research', 'pacs']), reader: Reader }).strict(),
    output: z.object({ pdfPath: z.string(), srPath: z.string(), sopInstanceUid: z.string(), measurements: z.number() }),
  },
  /** The findings' SR and Secondary Captures, and the QCA SR ('qca-sr') when the study has saved QCA measurements. */
  'reports.studyDicom': {
    input: z.object({ studyId: Id, folder: Folder, name: FileName, mode: z.enum(['research', 'pacs']), reader: Reader }).strict(),
    output: z.object({ files: z.array(z.object({ path: z.string(), kind: z.enum(['sr', 'sc', 'qca-sr']), sopInstanceUid: z.string() })) }),
  },
  /** The report shows the full-frame evaluation named, else the newest kept one, else says none has been run. */
  'reports.experimentPdf': {
    input: z.object({ ...ExperimentSource, folder: Folder, name: FileName, reader: Reader, detectionEvaluationId: Id.optional() }).strict(),
    output: z.object({ path: z.string(), detectionEvaluationId: z.number().nullable() }),
  },
  'reports.predictionsCsv': {
    input: z.object({ ...ExperimentSource, folder: Folder, name: FileName, reader: Reader }).strict(),
    output: z.object({ path: z.string(), rows: z.number() }),
  },
} as const;

export const reportsSends = {} as const;
export const reportsEvents = {} as const;
export const reportsPixels = {} as const;
