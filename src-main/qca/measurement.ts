// A QCA measurement: the traced geometry, the calibration and every figure, in one plain value that the Viewer,
// the catalog, the PDF and the SR can keep as it is. Figures are computed from the geometry alone, so moving an
// edge point recomputes them without the image.
import type { Calibration } from './calibration.ts';
import type { Point } from './image.ts';
import { stenosisFigures } from './stenosis.ts';
import type { SegmentTrace } from './trace.ts';

export interface ProfileSample {
  /** Along the centreline from the start point. */
  distance: number;
  diameter: number;
}

export interface QcaMeasurement {
  /** 0-based frame of the run that was measured. */
  frame: number;
  start: Point;
  end: Point;
  /** Points the reader dragged the path through, in order from start to end (none: the path as traced). */
  waypoints: Point[];
  /** Who measured (the reader), when known; the CLI leaves it unset. */
  reader?: string;
  calibration: Calibration;
  /** 'mm' when calibrated, else 'px': the unit of every length and diameter below. */
  unit: 'mm' | 'px';
  trace: SegmentTrace;
  /** Lumen contours in image pixels, one point per centreline point. */
  leftContour: Point[];
  rightContour: Point[];
  profile: ProfileSample[];
  /** The healthy-vessel diameter the reference is read from, per profile sample. */
  referenceProfile: number[];
  mld: number;
  mldIndex: number;
  mldPoint: Point;
  reference: number;
  referenceSource: 'fitted' | 'user';
  diameterStenosisPct: number;
  /** From the diameters assuming a circular lumen (1 − (MLD/reference)²). */
  areaStenosisPct: number;
  areaAssumption: 'circular';
  lesionLength: number;
  lesionStartIndex: number;
  lesionEndIndex: number;
}

export interface FigureOptions {
  frame: number;
  calibration: Calibration;
  /** A reference diameter the reader set, in the measurement's unit; replaces the fitted one. */
  referenceOverride?: number;
  reader?: string;
}

const along = (p: Point, n: Point, s: number): Point => ({ x: p.x + s * n.x, y: p.y + s * n.y });

export function measurementOf(trace: SegmentTrace, options: FigureOptions): QcaMeasurement {
  const scale = options.calibration.mmPerPixel ?? 1;
  const { centreline, normals, leftOffsets, rightOffsets } = trace;
  const diameters = centreline.map((_, i) => (rightOffsets[i]! - leftOffsets[i]!) * scale);
  const distances: number[] = [0];
  for (let i = 1; i < centreline.length; i++) distances.push(distances[i - 1]! + Math.hypot(centreline[i]!.x - centreline[i - 1]!.x, centreline[i]!.y - centreline[i - 1]!.y) * scale);
  const figures = stenosisFigures(diameters, options.referenceOverride);
  const leftContour = centreline.map((p, i) => along(p, normals[i]!, leftOffsets[i]!));
  const rightContour = centreline.map((p, i) => along(p, normals[i]!, rightOffsets[i]!));
  const mldCentre = along(centreline[figures.mldIndex]!, normals[figures.mldIndex]!, (leftOffsets[figures.mldIndex]! + rightOffsets[figures.mldIndex]!) / 2);
  return {
    frame: options.frame,
    start: centreline[0]!,
    end: centreline[centreline.length - 1]!,
    waypoints: trace.waypoints ?? [],
    ...(options.reader ? { reader: options.reader } : {}),
    calibration: options.calibration,
    unit: options.calibration.mmPerPixel === null ? 'px' : 'mm',
    trace,
    leftContour,
    rightContour,
    profile: diameters.map((diameter, i) => ({ distance: distances[i]!, diameter })),
    referenceProfile: figures.referenceLine,
    mld: figures.mld,
    mldIndex: figures.mldIndex,
    mldPoint: mldCentre,
    reference: figures.reference,
    referenceSource: figures.referenceSource,
    diameterStenosisPct: figures.diameterStenosisPct,
    areaStenosisPct: figures.areaStenosisPct,
    areaAssumption: 'circular',
    lesionLength: distances[figures.lesionEnd]! - distances[figures.lesionStart]!,
    lesionStartIndex: figures.lesionStart,
    lesionEndIndex: figures.lesionEnd,
  };
}

export interface EdgeMove {
  side: 'left' | 'right';
  /** Which contour point (centreline index) was moved. */
  index: number;
  /** Where the reader dropped it, image pixels. */
  to: Point;
}

/**
 * The measurement after the reader moved edge points: each moved point sets its edge's offset along its normal
 * (where it projects), and every figure is recomputed from the edited geometry. The reference override stays.
 */
export function withMovedEdges(measurement: QcaMeasurement, moves: readonly EdgeMove[]): QcaMeasurement {
  const trace = measurement.trace;
  const leftOffsets = [...trace.leftOffsets];
  const rightOffsets = [...trace.rightOffsets];
  for (const move of moves) {
    const c = trace.centreline[move.index];
    const n = trace.normals[move.index];
    if (!c || !n) throw new RangeError(`edge point ${move.index} does not exist: the contour has ${trace.centreline.length} points`);
    const offset = (move.to.x - c.x) * n.x + (move.to.y - c.y) * n.y;
    (move.side === 'left' ? leftOffsets : rightOffsets)[move.index] = offset;
  }
  const reference = measurement.referenceSource === 'user' ? measurement.reference : undefined;
  return measurementOf({ ...trace, leftOffsets, rightOffsets }, { frame: measurement.frame, calibration: measurement.calibration, referenceOverride: reference, reader: measurement.reader });
}
