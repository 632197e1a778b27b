// Traces a segment between two clicked points: vesselness on a region around them (on a half-resolution grid for
// large frames, where lumens span many pixels), the minimum-cost centreline, then both lumen edges along it.
import { minimumCostPath, pathNormals, resampleByArcLength, smoothPath } from './centreline.ts';
import { cropImage, type FloatImage, type Point } from './image.ts';
import { correctForBlur } from './edge-bias.ts';
import { findLumenEdges } from './lumen-edges.ts';
import { vesselness, vesselScales } from './vesselness.ts';

/** A traced segment in image pixels: the geometry every figure is computed from, and what an edit changes. */
export interface SegmentTrace {
  centreline: Point[];
  /** Unit normals along the centreline (right of the direction of travel on screen). */
  normals: Point[];
  /** Signed offsets of the lumen edges along each normal: left < 0 < right, pixels. */
  leftOffsets: number[];
  rightOffsets: number[];
  /** The imaging blur (PSF σ, pixels) read from the edges, by which the edges were corrected (edge-bias.ts). */
  blurSigma: number;
  /** Points the reader dragged the path through, in order; kept with the geometry so a saved path can be re-traced. */
  waypoints?: Point[];
}

const MAX_SIGMA_WORKING = 5.7;

/** Vesselness grid: half resolution once a frame is larger than 640 px, so a 1024² frame costs what a 512² one does. */
function workingScale(image: FloatImage): number {
  return Math.max(image.width, image.height) > 640 ? 2 : 1;
}

function downsample(image: FloatImage, factor: number): FloatImage {
  if (factor === 1) return image;
  const width = Math.floor(image.width / factor);
  const height = Math.floor(image.height / factor);
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) for (let dx = 0; dx < factor; dx++) sum += image.data[(y * factor + dy) * image.width + x * factor + dx]!;
      data[y * width + x] = sum / (factor * factor);
    }
  }
  return { width, height, data };
}

/**
 * The segment from `start` to `end`, through each of `waypoints` in order where the reader dragged the path: one
 * minimum-cost leg between each pair of consecutive anchors, joined before smoothing.
 */
export function traceSegment(image: FloatImage, start: Point, end: Point, waypoints: readonly Point[] = []): SegmentTrace {
  const factor = workingScale(image);
  const anchors = [start, ...waypoints, end];
  const xs = anchors.map((p) => p.x);
  const ys = anchors.map((p) => p.y);
  const length = Math.hypot(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
  const margin = Math.max(24 * factor, 0.35 * length);
  const crop = cropImage(image, Math.min(...xs) - margin, Math.min(...ys) - margin, Math.max(...xs) + margin + 1, Math.max(...ys) + margin + 1);
  const working = downsample(crop.image, factor);
  const map = vesselness(working, vesselScales(MAX_SIGMA_WORKING));
  const toWorking = (p: Point) => ({ x: (p.x - crop.x0) / factor, y: (p.y - crop.y0) / factor });
  const toImage = (p: Point) => ({ x: p.x * factor + crop.x0 + (factor - 1) / 2, y: p.y * factor + crop.y0 + (factor - 1) / 2 });
  const legs = anchors.slice(1).map((to, i) => minimumCostPath(map, toWorking(anchors[i]!), toWorking(to)));
  const scalesAlong = legs.flat().map((p) => map.scale[p.y * map.width + p.x]! * factor).sort((a, b) => a - b);
  const wideScale = scalesAlong[Math.floor(scalesAlong.length * 0.9)] ?? 2;
  // Each leg is smoothed with its ends held, so the path passes exactly through the clicked points and every waypoint.
  const joined: Point[] = [];
  for (const [i, leg] of legs.entries()) {
    const inImage = leg.map(toImage);
    inImage[0] = { ...anchors[i]! };
    inImage[inImage.length - 1] = { ...anchors[i + 1]! };
    const smooth = smoothPath(resampleByArcLength(inImage, 1), 3 * factor);
    joined.push(...(i === 0 ? smooth : smooth.slice(1)));
  }
  const centreline = resampleByArcLength(joined, 1);
  const normals = pathNormals(centreline);
  // A lumen's radius is about two of its best scales: searching 3 scales + 8 px out keeps the widest healthy part
  // and the background beside it inside every profile.
  const halfWidth = Math.min(60, Math.ceil(3 * wideScale + 8));
  const edges = findLumenEdges(image, centreline, normals, { halfWidth });
  const { sigma } = correctForBlur(edges.left, edges.right, edges.falloffs);
  return {
    centreline, normals, leftOffsets: Array.from(edges.left), rightOffsets: Array.from(edges.right), blurSigma: sigma,
    ...(waypoints.length > 0 ? { waypoints: waypoints.map((p) => ({ x: p.x, y: p.y })) } : {}),
  };
}

