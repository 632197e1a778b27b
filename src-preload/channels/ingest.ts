// Ingest and library channels: folder import jobs (progress and cancel through job.* channels), per-file
// rejections, the patient → study → series → instance listing with counts, dataset items, the vault switch and
// re-identification, and the binary pixel routes for frames, dataset items' own images and thumbnails.
import { z } from 'zod';
import { Empty, JobId } from '../contract-base.ts';

const Id = z.number().int().positive();
const Outcome = z.enum(['imported', 'duplicate', 'rejected', 'unsupported', 'document']);
const Reader = z.string().max(200).nullable().default(null);
const Count = z.number().int().nonnegative();

/** A finished folder import: files by outcome, and what came with the new patches (labels, the splits their folders
 * or manifest named, duplicates that were copies inside the folder itself). */
export const ImportResultSchema = z.object({
  total: Count,
  imported: Count,
  duplicate: Count,
  rejected: Count,
  unsupported: Count,
  document: Count,
  patches: Count,
  labelled: Count,
  splits: z.array(z.string()),
  duplicateInFolder: Count,
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

const DeidOptionsSchema = z.object({
  retainLongitudinalModifiedDates: z.boolean(),
  retainPatientCharacteristics: z.boolean(),
  cleanDescriptors: z.boolean(),
  /** De-identification Method (0012,0063) as new imports write it: the profile and each option, in words. */
  method: z.array(z.string()),
});

export const PatientRowSchema = z.object({
  id: z.number(), pseudonym: z.string(), flags: z.string(),
  studies: z.number(), series: z.number(), instances: z.number(), datasetItems: z.number(),
});
export const StudyRowSchema = z.object({
  id: z.number(), patientId: z.number(), studyUid: z.string(), studyDate: z.string().nullable(), modalities: z.string(),
  series: z.number(), instances: z.number(), documents: z.number(),
});
export const SeriesRowSchema = z.object({
  id: z.number(), studyId: z.number(), seriesUid: z.string(), modality: z.string().nullable(), seriesNumber: z.number().nullable(),
  instances: z.number(), frames: z.number(),
});
export const InstanceRowSchema = z.object({
  id: z.number(), seriesId: z.number(), sopInstanceUid: z.string(), kind: z.enum(['image', 'document', 'unsupported']),
  unsupportedReason: z.string().nullable(), transferSyntax: z.string(), rows: z.number().nullable(), columns: z.number().nullable(),
  frames: z.number().nullable(), photometric: z.string().nullable(), burnedIn: z.enum(['YES', 'NO', 'UNKNOWN']), needsReview: z.boolean(),
  keyFrame: z.number().nullable(), keyFrameReason: z.string().nullable(), hasThumbnail: z.boolean(),
});
export const DatasetItemSchema = z.object({
  id: z.number(), kind: z.enum(['dicom-frame', 'png', 'jpeg']), instanceId: z.number().nullable(), frameIndex: z.number().nullable(),
  width: z.number().nullable(), height: z.number().nullable(), patientId: z.number().nullable(), studyId: z.number().nullable(),
  label: z.string().nullable(), sourceSplit: z.string().nullable(), sourceName: z.string().nullable(), flags: z.string(),
});

/** How ingest described an instance's pixels when it imported it: rescale, VOI windows and which LUTs it carries. */
export const StoredPixelFactsSchema = z.object({
  rescale: z.object({ slope: z.number(), intercept: z.number(), type: z.string().optional() }),
  windows: z.array(z.object({ center: z.number(), width: z.number(), explanation: z.string().optional() })),
  /** VOI LUT Function (0028,1056), upper case; LINEAR when absent. */
  voiFunction: z.string(),
  highBit: z.number().int(),
  planarConfiguration: z.union([z.literal(0), z.literal(1)]),
  hasVoiLut: z.boolean(),
  hasModalityLut: z.boolean(),
  hasPalette: z.boolean(),
});

const RowColumn = z.tuple([z.number(), z.number()]);

/** Display shutter, else X-ray collimator, in image rows and columns (PS3.3 C.7.6.11, C.8.7.3). */
export const ShutterSchema = z.object({
  shapes: z.array(z.string()),
  rectangular: z.object({ left: z.number(), right: z.number(), upper: z.number(), lower: z.number() }).optional(),
  circular: z.object({ centerRow: z.number(), centerColumn: z.number(), radius: z.number() }).optional(),
  /** Vertices as row, column pairs. */
  polygonal: z.array(z.number()).optional(),
});

/** The angiography facts ingest stored for an instance; an attribute the file lacks is null, never guessed. */
export const AngioFactsSchema = z.object({
  positionerPrimaryAngle: z.number().nullable(),
  positionerSecondaryAngle: z.number().nullable(),
  imagerPixelSpacing: RowColumn.nullable(),
  pixelSpacing: RowColumn.nullable(),
  frameTimeMs: z.number().nullable(),
  frameTimeVectorMs: z.array(z.number()).nullable(),
  cineRate: z.number().nullable(),
  recommendedDisplayFrameRate: z.number().nullable(),
  burnedInAnnotation: z.enum(['YES', 'NO']).nullable(),
  shutter: ShutterSchema.nullable(),
  /** Overlay planes without their bits (the viewer fetches those on their own channel). */
  overlays: z.array(z.object({ group: z.number().int(), rows: z.number().int(), columns: z.number().int(), origin: RowColumn, type: z.string(), frames: z.number().int() })),
  /** The ECG waveform's layout; its samples come on their own channel. */
  ecg: z.object({ channels: z.number().int(), samples: z.number().int(), samplingFrequency: z.number() }).nullable(),
  /** Frame numbers (1-based) of R waves (0028,6040). */
  rWaveFrames: z.array(z.number().int()),
});
export type AngioFacts = z.infer<typeof AngioFactsSchema>;
export type StoredPixelFacts = z.infer<typeof StoredPixelFactsSchema>;

export const ingestInvokes = {
  'ingest.importFolder': {
    input: z
      .object({
        root: z.string().min(1).max(4096),
        manifest: z.string().max(4096).optional(),
        datasetFrames: z.enum(['key', 'all', 'none']).default('key'),
        reader: Reader,
      })
      .strict(),
    output: z.object({ jobId: JobId }),
  },
  /** Imports just these files (absolute paths; the .dcm files the system asked the app to open) as one job. */
  'ingest.importFiles': {
    input: z
      .object({
        paths: z.array(z.string().min(1).max(4096)).min(1).max(10_000),
        datasetFrames: z.enum(['key', 'all', 'none']).default('key'),
        reader: Reader,
      })
      .strict(),
    output: z.object({ jobId: JobId }),
  },
  'ingest.importLog': {
    input: z.object({ jobId: JobId, outcomes: z.array(Outcome).optional() }).strict(),
    output: z.object({ entries: z.array(z.object({ path: z.string(), outcome: Outcome, reason: z.string().nullable(), message: z.string().nullable() })) }),
  },
  'library.patients': { input: Empty, output: z.object({ patients: z.array(PatientRowSchema) }) },
  'library.studies': { input: z.object({ patientId: Id }).strict(), output: z.object({ studies: z.array(StudyRowSchema) }) },
  'library.series': { input: z.object({ studyId: Id }).strict(), output: z.object({ series: z.array(SeriesRowSchema) }) },
  'library.instances': { input: z.object({ seriesId: Id }).strict(), output: z.object({ instances: z.array(InstanceRowSchema) }) },
  'library.instance': {
    input: z.object({ instanceId: Id }).strict(),
    /** pixel and angio are null for an instance ingest did not decode (a document, an unsupported object). */
    output: z.object({ id: z.number(), frames: z.number().nullable(), pixel: StoredPixelFactsSchema.nullable(), angio: AngioFactsSchema.nullable(), frameTimesMs: z.array(z.number().nullable()) }),
  },
  'library.datasetItems': {
    input: z
      .object({ label: z.string().max(200).optional(), split: z.string().max(50).optional(), patchesOnly: z.boolean().optional(), limit: z.number().int().min(1).max(1000).default(100), offset: z.number().int().min(0).default(0) })
      .strict(),
    output: z.object({ total: z.number(), items: z.array(DatasetItemSchema) }),
  },
  // unlocked: this host's vault key opens the vault; note: the sentence shown when it does not (null otherwise).
  'deid.vault.get': { input: Empty, output: z.object({ enabled: z.boolean(), unlocked: z.boolean(), note: z.string().nullable() }) },
  'deid.vault.set': { input: z.object({ enabled: z.boolean(), reader: Reader }).strict(), output: z.object({ enabled: z.boolean() }) },
  // The catalog's PS3.15 options for later imports, and (0012,0063) as they make it; stored objects keep theirs.
  'deid.options.get': { input: Empty, output: DeidOptionsSchema },
  'deid.options.set': {
    input: z.object({ retainLongitudinalModifiedDates: z.boolean().optional(), retainPatientCharacteristics: z.boolean().optional(), cleanDescriptors: z.boolean().optional(), reader: Reader }).strict(),
    output: DeidOptionsSchema,
  },
  'deid.reidentify': {
    input: z.object({ pseudonym: z.string().min(1).max(64), reader: z.string().min(1).max(200) }).strict(),
    output: z.object({ originals: z.array(z.object({ kind: z.string(), original: z.string() })) }),
  },
} as const;

export const ingestSends = {} as const;

export const ingestEvents = {
  'ingest.fileRejected': z.object({ jobId: JobId, path: z.string(), reason: z.string(), message: z.string() }),
} as const;

export const FramePixelMetaSchema = z.object({
  width: z.number().int(),
  height: z.number().int(),
  /** gray8 / gray16 (unsigned) / grayS16 (signed) / rgb8 / rgb16: raw stored values, little endian, interleaved. */
  format: z.enum(['gray8', 'gray16', 'grayS8', 'grayS16', 'rgb8', 'rgb16']),
  bitsAllocated: z.number().int(),
  bitsStored: z.number().int(),
  photometric: z.string(),
  rescale: z.object({ slope: z.number(), intercept: z.number() }),
  window: z.object({ center: z.number(), width: z.number() }).nullable(),
  /** The VOI LUT Function (0028,1056) of the window when it is not LINEAR; absent means LINEAR. */
  voiFunction: z.enum(['LINEAR_EXACT', 'SIGMOID']).optional(),
  frames: z.number().int(),
  frameTimeMs: z.number().nullable(),
});

export const ingestPixels = {
  'library.frame': {
    params: z.object({ instanceId: Id, frame: z.number().int().min(0).default(0) }).strict(),
    meta: FramePixelMetaSchema,
  },
  /** A dataset item's own image as one frame (frames = 1): a PNG patch's stored values, or the DICOM frame the
   * item was taken from. */
  'library.itemImage': {
    params: z.object({ itemId: Id }).strict(),
    meta: FramePixelMetaSchema,
  },
  'library.thumbnail': {
    params: z
      .object({ instanceId: Id.optional(), itemId: Id.optional(), size: z.number().int().min(8).max(512).default(128) })
      .strict()
      .refine((p) => (p.instanceId === undefined) !== (p.itemId === undefined), 'give exactly one of instanceId and itemId'),
    meta: z.object({ width: z.number().int(), height: z.number().int(), format: z.literal('gray8') }),
  },
} as const;
