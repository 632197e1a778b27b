// QCA channels: measure a vessel segment between two points on a stored frame (calibrated on the file's isocenter,
// a catheter segment, a manual mm per pixel, or none), recompute after the reader moves edge points or sets the
// reference, the suggested end-diastolic frame, and the saved measurements (save, list, delete; audited).
import { z } from 'zod';

const Id = z.number().int().positive();
const Frame = z.number().int().min(0).max(100_000);
const Reader = z.string().max(200).nullable().default(null);
const Coordinate = z.number().min(-100_000).max(100_000);
const PointSchema = z.object({ x: Coordinate, y: Coordinate }).strict();
const MAX_SAMPLES = 20_000;
const Samples = z.array(z.number()).max(MAX_SAMPLES);
const Points = z.array(PointSchema).max(MAX_SAMPLES);

/** Points the reader dragged the path through, in order from start to end. */
const Waypoints = z.array(PointSchema).max(32);

export const CalibrationMethodSchema = z.enum(['isocenter', 'catheter', 'manual', 'none']);

/** What the reader chose; main turns it into a Calibration with its value (isocenter from the file's tags). */
export const CalibrationChoiceSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('isocenter') }).strict(),
  z.object({ method: z.literal('manual'), mmPerPixel: z.number().positive().max(100) }).strict(),
  z.object({ method: z.literal('catheter'), french: z.number().positive().max(30), start: PointSchema, end: PointSchema }).strict(),
  z.object({ method: z.literal('none') }).strict(),
]);

export const CalibrationSchema = z.object({ method: CalibrationMethodSchema, mmPerPixel: z.number().positive().nullable(), basis: z.string().max(2_000) }).strict();

export const SegmentTraceSchema = z
  .object({ centreline: Points, normals: Points, leftOffsets: Samples, rightOffsets: Samples, blurSigma: z.number(), waypoints: Waypoints.optional() })
  .strict();

export const QcaMeasurementSchema = z
  .object({
    frame: Frame,
    start: PointSchema,
    end: PointSchema,
    waypoints: Waypoints.default([]),
    reader: z.string().max(200).optional(),
    calibration: CalibrationSchema,
    unit: z.enum(['mm', 'px']),
    trace: SegmentTraceSchema,
    leftContour: Points,
    rightContour: Points,
    profile: z.array(z.object({ distance: z.number(), diameter: z.number() }).strict()).max(MAX_SAMPLES),
    referenceProfile: Samples,
    mld: z.number(),
    mldIndex: z.number().int(),
    mldPoint: PointSchema,
    reference: z.number(),
    referenceSource: z.enum(['fitted', 'user']),
    diameterStenosisPct: z.number(),
    areaStenosisPct: z.number(),
    areaAssumption: z.literal('circular'),
    lesionLength: z.number(),
    lesionStartIndex: z.number().int(),
    lesionEndIndex: z.number().int(),
  })
  .strict();

export const EdgeMoveSchema = z.object({ side: z.enum(['left', 'right']), index: z.number().int().min(0).max(MAX_SAMPLES), to: PointSchema }).strict();

export const SavedMeasurementSchema = z.object({
  id: z.number(),
  instanceId: z.number(),
  frame: z.number(),
  reader: z.string().nullable(),
  createdAt: z.string(),
  measurement: QcaMeasurementSchema,
});

const Reference = z.number().positive().max(10_000).nullable().optional();

export const qcaInvokes = {
  'qca.measure': {
    input: z.object({ instanceId: Id, frame: Frame, start: PointSchema, end: PointSchema, waypoints: Waypoints.optional(), calibration: CalibrationChoiceSchema, referenceOverride: Reference }).strict(),
    output: z.object({ measurement: QcaMeasurementSchema }),
  },
  /** Moved edge points and/or the reader's reference diameter (null: back to the fitted one); no image needed. */
  'qca.edit': {
    input: z.object({ measurement: QcaMeasurementSchema, moves: z.array(EdgeMoveSchema).max(1_000), referenceOverride: Reference }).strict(),
    output: z.object({ measurement: QcaMeasurementSchema }),
  },
  'qca.suggestFrame': {
    input: z.object({ instanceId: Id }).strict(),
    output: z.object({ frame: z.number(), basis: z.enum(['r-wave-pointer', 'ecg-waveform', 'image']), candidates: z.array(z.number()) }),
  },
  'qca.save': {
    input: z.object({ instanceId: Id, measurement: QcaMeasurementSchema, reader: Reader }).strict(),
    output: z.object({ saved: SavedMeasurementSchema }),
  },
  'qca.list': {
    input: z.object({ instanceId: Id.optional() }).strict(),
    output: z.object({ measurements: z.array(SavedMeasurementSchema) }),
  },
  'qca.delete': {
    input: z.object({ id: Id, reader: Reader }).strict(),
    output: z.object({ deleted: z.literal(true) }),
  },
} as const;
