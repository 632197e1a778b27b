// The measuring core's contracts on one phantom: edits recompute every figure from the moved edge points, a
// reader's reference replaces the fitted one, results without calibration are in pixels and say so, the figures
// scale with the calibration; the robust reference line, and the pictures drawn from a measurement.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { diameterCurveSvg, manualCalibration, measureSegment, measurementPicture, readQcaFrame, UNCALIBRATED, withMovedEdges, type FloatImage, type QcaMeasurement } from './index.ts';
import { referenceLine, stenosisFigures } from './stenosis.ts';
import { makePhantom, phantomSpec, type Phantom } from './testing/phantom-set.ts';

let phantom: Phantom;
let image: FloatImage;
let uncalibrated: QcaMeasurement;

before(async () => {
  phantom = makePhantom(phantomSpec(4));
  image = (await readQcaFrame(phantom.bytes, 0, phantom.spec.name)).image;
  const { start, end } = phantom.scene.truth;
  uncalibrated = measureSegment(image, { frame: 0, start, end, calibration: UNCALIBRATED });
});

test('without calibration every length is in pixels, and the result says so', () => {
  assert.equal(uncalibrated.unit, 'px');
  assert.deepEqual({ method: uncalibrated.calibration.method, mmPerPixel: uncalibrated.calibration.mmPerPixel }, { method: 'none', mmPerPixel: null });
  assert.match(uncalibrated.calibration.basis, /pixels/);
  const truthPx = phantom.scene.truth.mldMm / phantom.scene.truth.mmPerPixel;
  assert.ok(Math.abs(uncalibrated.mld - truthPx) < 1, `MLD ${uncalibrated.mld} px vs the phantom's ${truthPx} px`);
});

test('a manual calibration scales every length and leaves the percentages alone', () => {
  const { start, end } = phantom.scene.truth;
  const m = measureSegment(image, { frame: 0, start, end, calibration: manualCalibration(0.2) });
  assert.equal(m.unit, 'mm');
  assert.equal(m.calibration.method, 'manual');
  assert.ok(Math.abs(m.mld - 0.2 * uncalibrated.mld) < 1e-9);
  assert.ok(Math.abs(m.lesionLength - 0.2 * uncalibrated.lesionLength) < 1e-9);
  assert.ok(Math.abs(m.diameterStenosisPct - uncalibrated.diameterStenosisPct) < 1e-9);
  assert.throws(() => manualCalibration(0), RangeError);
});

test('the figures follow their definitions: DS = 1 − MLD/reference, AS = 1 − (MLD/reference)², MLD is the profile minimum', () => {
  const m = uncalibrated;
  assert.ok(Math.abs(m.diameterStenosisPct - 100 * (1 - m.mld / m.reference)) < 1e-9);
  assert.ok(Math.abs(m.areaStenosisPct - 100 * (1 - (m.mld / m.reference) ** 2)) < 1e-9);
  assert.equal(m.areaAssumption, 'circular');
  assert.ok(m.mld <= Math.min(...m.profile.slice(5, -5).map((p) => p.diameter)) + 1.5, 'the MLD is at the narrowest part');
  assert.ok(m.lesionStartIndex <= m.mldIndex && m.mldIndex <= m.lesionEndIndex);
  assert.equal(m.leftContour.length, m.profile.length);
  assert.equal(m.rightContour.length, m.profile.length);
});

test('a reader\'s reference diameter replaces the fitted one and survives an edit', () => {
  const { start, end } = phantom.scene.truth;
  const m = measureSegment(image, { frame: 0, start, end, calibration: UNCALIBRATED, referenceOverride: 20 });
  assert.equal(m.reference, 20);
  assert.equal(m.referenceSource, 'user');
  assert.ok(Math.abs(m.diameterStenosisPct - 100 * (1 - m.mld / 20)) < 1e-9);
  const edited = withMovedEdges(m, [{ side: 'left', index: 3, to: m.leftContour[3]! }]);
  assert.equal(edited.reference, 20);
});

test('moving the edge points at the MLD outward to the healthy width recomputes MLD, stenosis and contours', () => {
  const m = uncalibrated;
  const i = m.mldIndex;
  const c = m.trace.centreline;
  const n = m.trace.normals;
  const half = m.reference / 2 + 0.5;
  const moves = [] as { side: 'left' | 'right'; index: number; to: { x: number; y: number } }[];
  for (let k = Math.max(0, i - 2); k <= Math.min(c.length - 1, i + 2); k++) {
    moves.push({ side: 'left', index: k, to: { x: c[k]!.x - half * n[k]!.x, y: c[k]!.y - half * n[k]!.y } });
    moves.push({ side: 'right', index: k, to: { x: c[k]!.x + half * n[k]!.x, y: c[k]!.y + half * n[k]!.y } });
  }
  const edited = withMovedEdges(m, moves);
  assert.ok(Math.abs(edited.profile[i]!.diameter - 2 * half) < 1e-9, `the edited diameter is the distance between the moved points: ${edited.profile[i]!.diameter}`);
  assert.ok(Math.hypot(edited.leftContour[i]!.x - moves[4]!.to.x, edited.leftContour[i]!.y - moves[4]!.to.y) < 1e-9, 'the contour passes through the moved point');
  assert.ok(edited.mld > m.mld, `MLD ${m.mld} → ${edited.mld}`);
  assert.ok(edited.diameterStenosisPct < m.diameterStenosisPct);
  assert.equal(m.profile[i]!.diameter, uncalibrated.profile[i]!.diameter, 'the original measurement is left as it was');
  assert.throws(() => withMovedEdges(m, [{ side: 'left', index: 10_000, to: { x: 0, y: 0 } }]), RangeError);
});

test('points outside the frame or too close together are refused with a reason', () => {
  assert.throws(() => measureSegment(image, { frame: 0, start: { x: -5, y: 10 }, end: { x: 100, y: 100 }, calibration: UNCALIBRATED }), /outside the 512×512 frame/);
  assert.throws(() => measureSegment(image, { frame: 0, start: { x: 100, y: 100 }, end: { x: 103, y: 102 }, calibration: UNCALIBRATED }), /less than 8 pixels apart/);
});

test('the reference line ignores both the lesion and a branch\'s mouth, and follows a taper', () => {
  const healthy = (i: number) => 12 - 0.02 * i;
  const diameters = Array.from({ length: 200 }, (_, i) => {
    const lesion = Math.abs(i - 80) < 30 ? 0.6 * (1 + Math.cos((Math.PI * (i - 80)) / 30)) / 2 : 0;
    const branch = i >= 140 && i < 165 ? 8 : 0;
    return healthy(i) * (1 - lesion) + branch + 0.1 * Math.sin(i * 1.7);
  });
  const line = referenceLine(diameters);
  for (const i of [20, 80, 150, 190]) assert.ok(Math.abs(line[i]! - healthy(i)) < 0.15, `reference ${line[i]} at ${i}, healthy ${healthy(i)}`);
  const figures = stenosisFigures(diameters);
  assert.ok(Math.abs(figures.mldIndex - 80) <= 1, `MLD at ${figures.mldIndex}`);
  assert.ok(Math.abs(figures.diameterStenosisPct - 60) < 2, `DS ${figures.diameterStenosisPct}`);
});

test('the pictures: contours drawn on the frame crop, and the diameter curve with its figures and unit', () => {
  const picture = measurementPicture(image, uncalibrated, 30, 2);
  assert.equal(picture.rgb.length, picture.width * picture.height * 3);
  let contour = 0;
  for (let i = 0; i < picture.rgb.length; i += 3) if (picture.rgb[i] === 255 && picture.rgb[i + 1] === 208 && picture.rgb[i + 2] === 0) contour++;
  assert.ok(contour > 2 * uncalibrated.profile.length, `${contour} contour pixels`);
  const svg = diameterCurveSvg(uncalibrated, 'phantom 4');
  assert.match(svg, /^<svg /);
  assert.ok(svg.includes(`MLD ${uncalibrated.mld.toFixed(2)} px`));
  assert.match(svg, /uncalibrated \(pixels\)/);
  assert.match(svg, /AS [\d.]+ % \(circular\)/);
});
