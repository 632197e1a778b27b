// The QCA entry points on a grey frame: measure a vessel segment between two points, and calibrate on a catheter
// segment measured the same way.
import { catheterCalibration, type Calibration } from './calibration.ts';
import type { FloatImage, Point } from './image.ts';
import { measurementOf, type QcaMeasurement } from './measurement.ts';
import { traceSegment } from './trace.ts';

export interface SegmentRequest {
  frame: number;
  start: Point;
  end: Point;
  /** Points the reader dragged the path through, in order from start to end. */
  waypoints?: Point[];
  calibration: Calibration;
  referenceOverride?: number;
  reader?: string;
}

function checkPoint(image: FloatImage, point: Point, name: string): void {
  if (!Number.isFinite(point.x) || !Number.isFinite(point.y) || point.x < 0 || point.y < 0 || point.x > image.width - 1 || point.y > image.height - 1) {
    throw new RangeError(`the ${name} point (${point.x}, ${point.y}) lies outside the ${image.width}×${image.height} frame`);
  }
}

export function measureSegment(image: FloatImage, request: SegmentRequest): QcaMeasurement {
  checkPoint(image, request.start, 'start');
  checkPoint(image, request.end, 'end');
  for (const [i, waypoint] of (request.waypoints ?? []).entries()) checkPoint(image, waypoint, `waypoint ${i + 1}`);
  if (Math.hypot(request.end.x - request.start.x, request.end.y - request.start.y) < 8) {
    throw new RangeError('the start and end points are less than 8 pixels apart: click them further along the vessel');
  }
  return measurementOf(traceSegment(image, request.start, request.end, request.waypoints), request);
}

/** The catheter's mean diameter in pixels over the middle 80 % of the traced segment (its ends are where it was clicked). */
export function catheterDiameterPx(image: FloatImage, start: Point, end: Point): number {
  checkPoint(image, start, 'catheter start');
  checkPoint(image, end, 'catheter end');
  const trace = traceSegment(image, start, end);
  const diameters = trace.leftOffsets.map((l, i) => trace.rightOffsets[i]! - l);
  const inner = diameters.slice(Math.floor(diameters.length * 0.1), Math.ceil(diameters.length * 0.9)).sort((a, b) => a - b);
  return inner[Math.floor(inner.length / 2)] ?? 0;
}

export function calibrateOnCatheter(image: FloatImage, french: number, start: Point, end: Point): Calibration {
  return catheterCalibration(french, catheterDiameterPx(image, start, end));
}
