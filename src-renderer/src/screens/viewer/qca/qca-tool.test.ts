// The QCA tool against a fake main that traces a straight vessel between the clicked points (4 px wide, narrowed to
// 2 px at its middle) and scales it by the chosen calibration: two clicks measure, a catheter segment recalibrates,
// dragging the path re-traces through ordered waypoints, edge moves and the reference go through qca.edit, saving
// reloads the run's list, and refusals are said in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeOutput, InvokeParsedInput } from '../../../../../src-preload/contract.ts';
import '../../../testing/svelte-modules.ts';
import { createFakeApi, fail, type InvokeHandler } from '../../../testing/fake-api.ts';

const { QcaTool, withUnit, calibrationLabel } = await import('./qca-tool.svelte.ts');

type Measurement = InvokeOutput<'qca.measure'>['measurement'];
type Saved = InvokeOutput<'qca.list'>['measurements'][number];
type Point = { x: number; y: number };

const SAMPLES = 11;
const NARROWEST = 5;
const ISOCENTER_MM_PER_PX = 0.25;

function calibrationOf(choice: InvokeParsedInput<'qca.measure'>['calibration']): Measurement['calibration'] {
  switch (choice.method) {
    case 'isocenter':
      return { method: 'isocenter', mmPerPixel: ISOCENTER_MM_PER_PX, basis: 'Imager Pixel Spacing over the magnification factor' };
    case 'manual':
      return { method: 'manual', mmPerPixel: choice.mmPerPixel, basis: 'entered by the reader' };
    case 'catheter':
      return { method: 'catheter', mmPerPixel: choice.french / 3 / Math.hypot(choice.end.x - choice.start.x, choice.end.y - choice.start.y), basis: `${choice.french} F catheter` };
    case 'none':
      return { method: 'none', mmPerPixel: null, basis: 'uncalibrated' };
  }
}

/** A straight vessel from `start` to `end` sampled at 11 points, 4 px wide with a 2 px narrowing at sample 5. */
function straightVessel(input: InvokeParsedInput<'qca.measure'>): Measurement {
  const { frame, start, end } = input;
  const waypoints = input.waypoints ?? [];
  const calibration = calibrationOf(input.calibration);
  const scale = calibration.mmPerPixel ?? 1;
  const length = Math.hypot(end.x - start.x, end.y - start.y);
  const normal = { x: -(end.y - start.y) / length, y: (end.x - start.x) / length };
  const centreline = Array.from({ length: SAMPLES }, (_, i) => ({ x: start.x + ((end.x - start.x) * i) / (SAMPLES - 1), y: start.y + ((end.y - start.y) * i) / (SAMPLES - 1) }));
  const half = centreline.map((_, i) => (i === NARROWEST ? 1 : 2));
  const side = (sign: number) => centreline.map((c, i) => ({ x: c.x + sign * normal.x * half[i]!, y: c.y + sign * normal.y * half[i]! }));
  const step = length / (SAMPLES - 1);
  return {
    frame, start, end, waypoints, calibration, unit: calibration.mmPerPixel === null ? 'px' : 'mm',
    trace: { centreline, normals: centreline.map(() => normal), leftOffsets: half, rightOffsets: half, blurSigma: 1, waypoints },
    leftContour: side(1), rightContour: side(-1),
    profile: half.map((h, i) => ({ distance: i * step * scale, diameter: 2 * h * scale })),
    referenceProfile: half.map(() => 4 * scale),
    mld: 2 * scale, mldIndex: NARROWEST, mldPoint: centreline[NARROWEST]!,
    reference: 4 * scale, referenceSource: 'fitted',
    diameterStenosisPct: 50, areaStenosisPct: 75, areaAssumption: 'circular',
    lesionLength: 2 * step * scale, lesionStartIndex: NARROWEST - 1, lesionEndIndex: NARROWEST + 1,
  };
}

/** Main's QCA for one run (instance 7): measures, edits, and a saved list with ids from 1. */
function qcaMain() {
  const saved: Saved[] = [];
  const save: InvokeHandler<'qca.save'> = ({ instanceId, measurement, reader }) => {
    const entry = { id: saved.length + 1, instanceId, frame: measurement.frame, reader, createdAt: '2026-12-07T10:00:00Z', measurement };
    saved.push(entry);
    return { saved: entry };
  };
  const fake = createFakeApi()
    .handle('qca.suggestFrame', () => ({ frame: 12, basis: 'ecg-waveform', candidates: [12, 27] }))
    .handle('qca.list', ({ instanceId }) => ({ measurements: saved.filter((s) => s.instanceId === instanceId) }))
    .handle('qca.measure', (input) => ({ measurement: straightVessel(input) }))
    .handle('qca.edit', ({ measurement, moves, referenceOverride }) => {
      const leftContour = measurement.leftContour.map((p, i) => moves.find((m) => m.side === 'left' && m.index === i)?.to ?? p);
      const rightContour = measurement.rightContour.map((p, i) => moves.find((m) => m.side === 'right' && m.index === i)?.to ?? p);
      const fitted = referenceOverride === undefined ? measurement.reference : (referenceOverride ?? measurement.referenceProfile[0]!);
      const referenceSource = referenceOverride === undefined ? measurement.referenceSource : referenceOverride === null ? 'fitted' : 'user';
      return { measurement: { ...measurement, leftContour, rightContour, reference: fitted, referenceSource, diameterStenosisPct: 100 * (1 - measurement.mld / fitted) } };
    })
    .handle('qca.save', save)
    .handle('qca.delete', ({ id }) => {
      const at = saved.findIndex((s) => s.id === id);
      if (at < 0) return fail('qca-not-found', `QCA measurement #${id} does not exist; it may have been deleted.`);
      saved.splice(at, 1);
      return { deleted: true as const };
    });
  return { fake, saved, save };
}

const measureInputs = (fake: ReturnType<typeof qcaMain>['fake']) => fake.inputsOf('qca.measure') as InvokeParsedInput<'qca.measure'>[];

test('opening a run reads its suggested frame; two clicks measure the segment and hand clicks back to the viewer', async () => {
  const { fake } = qcaMain();
  const tool = new QcaTool(fake.api);
  await tool.open(7);
  assert.deepEqual([tool.suggestion?.frame, tool.suggestion?.basis, tool.saved], [12, 'ecg-waveform', []]);
  await tool.open(7);
  assert.equal(fake.inputsOf('qca.suggestFrame').length, 1, 'the open run is not read again');

  tool.pick('vessel');
  await tool.click({ x: 10, y: 50 }, 12);
  assert.deepEqual([tool.pending, fake.inputsOf('qca.measure').length], [[{ x: 10, y: 50 }], 0], 'the first click only waits');
  await tool.click({ x: 110, y: 50 }, 12);
  assert.deepEqual(measureInputs(fake), [{ instanceId: 7, frame: 12, start: { x: 10, y: 50 }, end: { x: 110, y: 50 }, waypoints: [], calibration: { method: 'isocenter' } }]);
  const m = tool.measurement!;
  assert.deepEqual([tool.picking, tool.pending, tool.measuredFrame, tool.busy, tool.error], ['off', [], 12, false, null]);
  assert.equal(m.leftContour.length, SAMPLES);
  assert.deepEqual([m.leftContour[NARROWEST], m.rightContour[NARROWEST]], [{ x: 60, y: 51 }, { x: 60, y: 49 }]);
  assert.deepEqual([withUnit(m.mld, m), withUnit(m.reference, m), m.diameterStenosisPct, calibrationLabel(m)], ['0.50 mm', '1.00 mm', 50, 'isocenter 0.2500 mm/px']);

  await tool.click({ x: 0, y: 0 }, 12);
  assert.equal(fake.inputsOf('qca.measure').length, 1, 'a click with the tool off does nothing');
  assert.deepEqual(fake.violations, []);
});

test('a catheter segment recalibrates the measurement; without one the catheter choice is refused in words', async () => {
  const { fake } = qcaMain();
  const tool = new QcaTool(fake.api);
  await tool.open(7);
  tool.method = 'catheter';
  tool.pick('vessel');
  await tool.click({ x: 10, y: 50 }, 3);
  await tool.click({ x: 110, y: 50 }, 3);
  assert.equal(tool.error, 'Catheter calibration: first click both ends of a catheter segment ("Measure catheter").');
  assert.deepEqual([fake.inputsOf('qca.measure').length, tool.measurement, tool.picking], [0, null, 'vessel']);

  tool.method = 'none';
  await tool.click({ x: 10, y: 50 }, 3);
  await tool.click({ x: 110, y: 50 }, 3);
  assert.deepEqual([tool.error, withUnit(tool.measurement!.mld, tool.measurement!), calibrationLabel(tool.measurement!)], [null, '2.0 px', 'pixels (uncalibrated)']);

  tool.french = 6;
  tool.pick('catheter');
  await tool.click({ x: 200, y: 20 }, 3);
  await tool.click({ x: 200, y: 60 }, 3);
  assert.deepEqual([tool.catheter, tool.method, tool.picking], [{ start: { x: 200, y: 20 }, end: { x: 200, y: 60 } }, 'catheter', 'vessel']);
  assert.deepEqual(measureInputs(fake).at(-1)?.calibration, { method: 'catheter', french: 6, start: { x: 200, y: 20 }, end: { x: 200, y: 60 } });
  assert.equal(calibrationLabel(tool.measurement!), 'catheter 0.0500 mm/px', '6 F (2 mm) over 40 px');
  assert.equal(withUnit(tool.measurement!.mld, tool.measurement!), '0.10 mm');

  tool.method = 'manual';
  tool.manualMmPerPixel = 0.1;
  await tool.remeasure();
  assert.deepEqual(measureInputs(fake).at(-1)?.calibration, { method: 'manual', mmPerPixel: 0.1 });
  assert.equal(withUnit(tool.measurement!.reference, tool.measurement!), '0.40 mm');
  assert.deepEqual(fake.violations, []);
});

test('dragging the path re-traces through waypoints in their order along the vessel; a drag near one replaces it', async () => {
  const { fake } = qcaMain();
  const tool = new QcaTool(fake.api);
  await tool.open(7);
  await tool.measure({ x: 10, y: 50 }, { x: 110, y: 50 }, 4);
  await tool.dragPath(8, { x: 90, y: 45 });
  await tool.dragPath(2, { x: 30, y: 55 });
  assert.deepEqual(measureInputs(fake).at(-1)?.waypoints, [{ x: 30, y: 55 }, { x: 90, y: 45 }]);
  await tool.dragPath(7, { x: 80, y: 40 });
  assert.deepEqual(measureInputs(fake).at(-1)?.waypoints, [{ x: 30, y: 55 }, { x: 80, y: 40 }], 'the waypoint within 3 samples is moved, not doubled');
  assert.deepEqual(measureInputs(fake).map((i) => [i.frame, i.start, i.end]).at(-1), [4, { x: 10, y: 50 }, { x: 110, y: 50 }]);
  assert.deepEqual(tool.measurement?.waypoints, [{ x: 30, y: 55 }, { x: 80, y: 40 }]);
  assert.deepEqual(fake.violations, []);
});

test('edge moves and the reference diameter go through qca.edit and show in the measurement', async () => {
  const { fake } = qcaMain();
  const tool = new QcaTool(fake.api);
  await tool.open(7);
  await tool.measure({ x: 10, y: 50 }, { x: 110, y: 50 }, 4);
  await tool.edit([{ side: 'left', index: 3, to: { x: 40, y: 53 } }]);
  const edit = fake.inputsOf('qca.edit')[0] as InvokeParsedInput<'qca.edit'>;
  assert.deepEqual([edit.moves, edit.measurement.leftContour[3]], [[{ side: 'left', index: 3, to: { x: 40, y: 53 } }], { x: 40, y: 52 }]);
  assert.deepEqual(tool.measurement?.leftContour[3], { x: 40, y: 53 });

  await tool.edit([], 2);
  assert.deepEqual([tool.measurement?.reference, tool.measurement?.referenceSource, tool.measurement?.diameterStenosisPct], [2, 'user', 75]);
  await tool.edit([], null);
  assert.deepEqual([tool.measurement?.reference, tool.measurement?.referenceSource], [1, 'fitted']);

  fake.handle('qca.edit', () => fail('qca-invalid-edit', 'Edge point 40 is past the end of the contour.'));
  const before = tool.measurement;
  await tool.edit([{ side: 'right', index: 40, to: { x: 0, y: 0 } }]);
  assert.equal(tool.error, 'Edge point 40 is past the end of the contour. (qca-invalid-edit)');
  assert.deepEqual([tool.measurement, tool.busy], [before, false], 'a refused edit leaves the measurement as it was');
  fake.handle('qca.edit', ({ measurement }) => ({ measurement }));
  await tool.edit([]);
  assert.equal(tool.error, null, 'an edit main accepts clears the last refusal');
  assert.deepEqual(fake.violations, []);
});

test('saving names the reader and reloads the run list; refusals are said in words and cleared by a later success', async () => {
  const { fake, saved, save } = qcaMain();
  const tool = new QcaTool(fake.api);
  await tool.open(7);
  fake.handle('qca.measure', () => fail('qca-no-isocenter', 'Image #7 has no Imager Pixel Spacing: calibrate on the catheter or enter mm per pixel.'));
  tool.pick('vessel');
  await tool.click({ x: 10, y: 50 }, 12);
  await tool.click({ x: 110, y: 50 }, 12);
  assert.equal(tool.error, 'Image #7 has no Imager Pixel Spacing: calibrate on the catheter or enter mm per pixel. (qca-no-isocenter)');
  assert.deepEqual([tool.measurement, tool.picking, tool.busy], [null, 'vessel', false], 'a failed measurement keeps the tool picking');

  fake.handle('qca.measure', (input) => ({ measurement: straightVessel(input) }));
  await tool.click({ x: 10, y: 50 }, 12);
  await tool.click({ x: 110, y: 50 }, 12);
  tool.reader = ' Ana ';
  fake.handle('qca.save', () => fail('frame-out-of-range', 'Image #7 has 10 frames; frame 13 does not exist.'));
  await tool.save();
  assert.equal(tool.error, 'Image #7 has 10 frames; frame 13 does not exist. (frame-out-of-range)');
  assert.deepEqual([tool.notice, saved], [null, []]);

  fake.handle('qca.save', save);
  await tool.save();
  assert.deepEqual((fake.inputsOf('qca.save').at(-1) as InvokeParsedInput<'qca.save'>).reader, 'Ana');
  assert.deepEqual([tool.notice, tool.error], ['Saved QCA measurement #1 on frame 13.', null]);
  assert.deepEqual(tool.saved.map((s) => [s.id, s.frame, s.reader]), [[1, 12, 'Ana']]);

  tool.method = 'none';
  await tool.measure({ x: 10, y: 50 }, { x: 110, y: 50 }, 20);
  tool.show(tool.saved[0]!);
  assert.deepEqual([tool.measuredFrame, tool.measurement?.mld, tool.measurement?.unit], [12, 0.5, 'mm'], 'a saved measurement is shown as it was saved');
  await tool.remove(1);
  assert.deepEqual(tool.saved, []);
  await tool.remove(1);
  assert.equal(tool.error, 'QCA measurement #1 does not exist; it may have been deleted. (qca-not-found)');
  assert.deepEqual(fake.violations, []);
});
