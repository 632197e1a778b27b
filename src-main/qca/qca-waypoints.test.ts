// Dragging the path: on a frame where two vessels join the same two points (a straight one and an arc), the traced
// centreline follows the straight vessel until the reader drags it through a point of the arc; then the minimum-cost
// path runs start → waypoint → end, the edges and figures come from the new path, and the waypoint stays with the
// geometry through edge edits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { measureSegment, UNCALIBRATED, withMovedEdges, type FloatImage, type Point } from './index.ts';

const SIZE = 200;
const START = { x: 30, y: 130 };
const END = { x: 170, y: 130 };
/** The arc's top, where the reader drops the path. */
const ARC_TOP = { x: 100, y: 50 };

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

/** Beer–Lambert projection of two 3.5-pixel-radius tubes: a straight one, and a circular arc over it. */
function twoRoutes(): FloatImage {
  const radius = 3.5;
  // The circle through START, END and ARC_TOP.
  const centreY = (ARC_TOP.y ** 2 - START.y ** 2 - (ARC_TOP.x - START.x) ** 2) / (2 * (ARC_TOP.y - START.y));
  const arcCentre = { x: ARC_TOP.x, y: centreY };
  const arcRadius = Math.hypot(START.x - arcCentre.x, START.y - arcCentre.y);
  const data = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const p = { x, y };
      const straight = distanceToSegment(p, START, END);
      const arc = y <= START.y ? Math.abs(Math.hypot(x - arcCentre.x, y - arcCentre.y) - arcRadius) : Infinity;
      const chord = (d: number) => (d < radius ? 2 * Math.sqrt(radius * radius - d * d) : 0);
      data[y * SIZE + x] = 1000 * Math.exp(-0.12 * (chord(straight) + chord(arc)));
    }
  }
  return { width: SIZE, height: SIZE, data };
}

const nearest = (points: readonly Point[], to: Point) => Math.min(...points.map((p) => Math.hypot(p.x - to.x, p.y - to.y)));

test('a waypoint forces the traced path through it, and the figures come from the new path', () => {
  const image = twoRoutes();
  const straight = measureSegment(image, { frame: 0, start: START, end: END, calibration: UNCALIBRATED });
  assert.deepEqual(straight.waypoints, []);
  assert.ok(Math.max(...straight.trace.centreline.map((p) => Math.abs(p.y - START.y))) < 4, 'without a waypoint the path takes the straight vessel');
  assert.ok(nearest(straight.trace.centreline, ARC_TOP) > 60);

  const dragged = measureSegment(image, { frame: 0, start: START, end: END, waypoints: [ARC_TOP], calibration: UNCALIBRATED });
  assert.ok(nearest(dragged.trace.centreline, ARC_TOP) < 2, `the path passes within 2 px of the waypoint (${nearest(dragged.trace.centreline, ARC_TOP).toFixed(2)})`);
  assert.deepEqual(dragged.waypoints, [ARC_TOP]);
  assert.ok(Math.hypot(dragged.start.x - START.x, dragged.start.y - START.y) < 0.5 && Math.hypot(dragged.end.x - END.x, dragged.end.y - END.y) < 0.5, 'it still runs from the start to the end');
  // Along the arc the segment is longer than the straight vessel, and its edges lie either side of the arc.
  const arcLength = dragged.profile.at(-1)!.distance;
  assert.ok(arcLength > straight.profile.at(-1)!.distance + 40, `arc ${arcLength.toFixed(1)} px vs straight ${straight.profile.at(-1)!.distance.toFixed(1)} px`);
  const mid = dragged.profile.slice(Math.floor(dragged.profile.length * 0.2), Math.ceil(dragged.profile.length * 0.8)).map((p) => p.diameter);
  const median = [...mid].sort((a, b) => a - b)[Math.floor(mid.length / 2)]!;
  assert.ok(Math.abs(median - 7) < 1.5, `the arc's diameter ≈ 7 px (median ${median.toFixed(2)})`);

  const edited = withMovedEdges(dragged, [{ side: 'left', index: dragged.mldIndex, to: dragged.trace.centreline[dragged.mldIndex]! }]);
  assert.deepEqual(edited.waypoints, [ARC_TOP], 'an edge edit keeps the waypoint');
});

test('a waypoint outside the frame is refused', () => {
  assert.throws(() => measureSegment(twoRoutes(), { frame: 0, start: START, end: END, waypoints: [{ x: -5, y: 10 }], calibration: UNCALIBRATED }), /waypoint 1/);
});
