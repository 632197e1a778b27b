// Library and Viewer screen channels that ingest does not carry: choosing a folder without a native dialog
// (recent folders and a folder browser), an instance's place in the tree, overlay planes and the ECG trace of a
// run, and "use this frame" (a cine frame becomes a dataset item with its patient).
import { z } from 'zod';
import { Empty } from '../contract-base.ts';

const Id = z.number().int().positive();
const FolderPath = z.string().min(1).max(4096);

export const FolderListingSchema = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  folders: z.array(z.object({ name: z.string(), path: z.string() })),
  /** Plain files directly inside the folder (what an import of this folder would look at first). */
  files: z.number().int(),
});

export const OverlayPlaneInfoSchema = z.object({
  group: z.number().int(),
  rows: z.number().int(),
  columns: z.number().int(),
  /** 1-based row and column of the overlay's first pixel, as DICOM states it (6000,0050). */
  originRow: z.number().int(),
  originColumn: z.number().int(),
});

export const InstanceContextSchema = z.object({
  instanceId: z.number(),
  seriesId: z.number(),
  studyId: z.number(),
  patientId: z.number(),
  pseudonym: z.string(),
  studyDate: z.string().nullable(),
  modality: z.string().nullable(),
  seriesNumber: z.number().nullable(),
  transferSyntax: z.string(),
  rows: z.number().nullable(),
  columns: z.number().nullable(),
  frames: z.number().nullable(),
  keyFrame: z.number().nullable(),
  overlays: z.array(OverlayPlaneInfoSchema),
});
export type InstanceContext = z.infer<typeof InstanceContextSchema>;

export const EcgTraceSchema = z.object({
  samplingFrequency: z.number(),
  channels: z.number().int(),
  /** The first channel's stored samples (unscaled), at most 20,000 (decimated evenly when the file has more). */
  samples: z.array(z.number()),
  /** Seconds covered by `samples`. */
  durationSeconds: z.number(),
});

/** Clean Pixel Data for one series: rectangles in its image grid (0-based column x, row y, width, height in pixels). */
export const MaskRectSchema = z.object({ x: z.number().int().min(0).max(65_535), y: z.number().int().min(0).max(65_535), width: z.number().int().min(1).max(65_535), height: z.number().int().min(1).max(65_535) }).strict();

export const PixelCleaningSchema = z.object({
  seriesId: z.number(),
  /** Burned In Annotation (0028,0301) over the series: YES when any instance says YES, UNKNOWN when any does not say. */
  burnedIn: z.enum(['YES', 'NO', 'UNKNOWN']),
  masks: z.array(MaskRectSchema),
  /** What research exports of the series say about burned-in text; null when the series says NO and has no masks. */
  note: z.string().nullable(),
});

export const viewerInvokes = {
  'viewer.folders.recent': { input: Empty, output: z.object({ folders: z.array(z.string()) }) },
  'viewer.folders.remember': { input: z.object({ path: FolderPath }).strict(), output: z.object({ folders: z.array(z.string()) }) },
  /** Sub-folders of a folder (default: the shared data folder), for choosing an import folder without a native dialog. */
  'viewer.folders.list': { input: z.object({ path: FolderPath.optional() }).strict(), output: FolderListingSchema },
  'viewer.instanceContext': { input: z.object({ instanceId: Id }).strict(), output: InstanceContextSchema },
  'viewer.ecg': { input: z.object({ instanceId: Id }).strict(), output: z.object({ ecg: EcgTraceSchema.nullable() }) },
  /** The series' burned-in flag and its masks, applied to every research export of its pixels. */
  'viewer.pixelMasks': { input: z.object({ seriesId: Id }).strict(), output: PixelCleaningSchema },
  /** Replaces the series' masks (an empty list removes them); audited. */
  'viewer.setPixelMasks': {
    input: z.object({ seriesId: Id, masks: z.array(MaskRectSchema).max(64), reader: z.string().max(200).nullable().default(null) }).strict(),
    output: PixelCleaningSchema,
  },
  'viewer.useFrame': {
    input: z.object({ instanceId: Id, frame: z.number().int().min(0), reader: z.string().max(200).nullable().default(null) }).strict(),
    output: z.object({ itemId: z.number(), created: z.boolean(), pseudonym: z.string() }),
  },
} as const;

export const viewerSends = {} as const;
export const viewerEvents = {} as const;

export const viewerPixels = {
  /** One overlay plane (60xx) unpacked to one byte per pixel: 0 or 255. */
  'viewer.overlay': {
    params: z.object({ instanceId: Id, group: z.number().int().min(0x6000).max(0x601e) }).strict(),
    meta: z.object({ width: z.number().int(), height: z.number().int(), format: z.literal('gray8'), originRow: z.number().int(), originColumn: z.number().int() }),
  },
} as const;
