// Bench suite for QCA (issue 26): one segment measurement (vesselness, centreline, both edges, blur correction and
// figures) on a 1024² phantom XA frame, the frame already decoded as the Viewer holds it. Target: under 200 ms.
import { isocenterCalibration, measureSegment, readQcaFrame } from '../../src-main/qca/index.ts';
import { makePhantom, phantomSpec } from '../../src-main/qca/testing/phantom-set.ts';
import { median, timeRepeats, type Figure, type SuiteOptions } from '../types.ts';

export async function qcaSuite(options: SuiteOptions): Promise<Figure[]> {
  const repeats = options.smoke ? 1 : Math.max(10, options.repeats);
  // Phantom 3 is 1024² with a 3 mm vessel; phantom 0 (512²) keeps the smoke run short.
  const spec = phantomSpec(options.smoke ? 0 : 3);
  const phantom = makePhantom(spec);
  const { image, parsed } = await readQcaFrame(phantom.bytes, 0, spec.name);
  const calibration = isocenterCalibration(parsed.dataSet)!;
  const { start, end } = phantom.scene.truth;
  let profiles = 0;
  const seconds = await timeRepeats(repeats, () => {
    profiles = measureSegment(image, { frame: 0, start, end, calibration }).profile.length;
  }, options.smoke ? 1 : 3);
  const ms = seconds.map((s) => s * 1000);
  return [
    {
      name: `QCA segment measurement, ${spec.size}² frame (${profiles} profiles)`,
      unit: 'ms',
      values: ms,
      target: options.smoke ? undefined : 200,
      higherIsBetter: false,
      note: `median ${median(ms).toFixed(1)} ms over ${repeats} repeats after warm-up (the edge model's table is built once, in the warm-up)`,
    },
  ];
}
