// The FROC figure: steps on a log2 axis from the smallest reported rate, what is reached with fewer false positives
// drawn at the axis start, flat to the axis end; it renders headless with the curve and one mark per operating point.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frocAxis, frocCurveSpec, frocSteps, renderVegaLite, type FrocCurveInput } from './index.ts';

const input: FrocCurveInput = {
  points: [
    { fpPerFrame: 0, sensitivity: 0.25 },
    { fpPerFrame: 0.25, sensitivity: 0.5 },
    { fpPerFrame: 0.5, sensitivity: 0.75 },
    { fpPerFrame: 0.75, sensitivity: 1 },
    { fpPerFrame: 2.25, sensitivity: 1 },
  ],
  operatingPoints: [0.125, 0.25, 0.5, 1, 2, 4, 8].map((fpPerFrame) => ({ fpPerFrame, sensitivity: fpPerFrame < 0.25 ? 0.25 : fpPerFrame < 0.5 ? 0.5 : fpPerFrame < 1 ? 0.75 : 1 })),
  frames: 4,
  boxes: 4,
};

test('the FROC curve runs in steps from the smallest reported rate to the power of two holding every point', () => {
  assert.deepEqual(frocAxis(input), { start: 0.125, end: 8 });
  assert.deepEqual(frocSteps(input).map((s) => [s.fp, s.sensitivity]), [[0.125, 0.25], [0.25, 0.5], [0.5, 0.75], [0.75, 1], [2.25, 1], [8, 1]]);
  assert.deepEqual(frocAxis({ ...input, points: [...input.points, { fpPerFrame: 9, sensitivity: 1 }] }).end, 16);
  assert.deepEqual(frocSteps({ ...input, points: [] }).map((s) => [s.fp, s.sensitivity]), [[0.125, 0], [8, 0]], 'no candidate: zero throughout');
});

test('the FROC figure renders with the step curve and a mark at every reported rate', async () => {
  const { vegaSpec, svg, png } = await renderVegaLite(frocCurveSpec(input));
  const values = (vegaSpec.data ?? []).flatMap((d) => ('values' in d && Array.isArray(d.values) ? d.values : [])) as { fp: number; sensitivity: number }[];
  assert.equal(values.length, frocSteps(input).length + input.operatingPoints.length);
  assert.match(svg, /FROC: boxes hit against false positives per frame/);
  assert.match(svg, /False positives per frame \(4 frames, log scale\)/);
  for (const label of ['1/8', '1/4', '1/2', '1', '2', '4', '8']) assert.ok(svg.includes(`>${label}</text>`), `axis label ${label}`);
  assert.equal((svg.match(/aria-roledescription="line mark"/g) ?? []).length, 1, 'one curve');
  assert.equal((svg.match(/aria-roledescription="point"/g) ?? []).length, input.operatingPoints.length, 'a mark per reported rate');
  assert.ok(png.length > 10_000);
});
