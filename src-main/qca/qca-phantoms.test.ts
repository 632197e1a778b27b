// Validation on phantoms with known truth: XA files rendered as X-ray projections of circular lumens (see
// testing/), read back through the DICOM reader and measured between points either side of the lesion. The truth
// is the phantom's geometry; the calibration tags are checked against dcmdump's reading of the same files.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runOracle } from '../testing/oracle-tool.ts';
import { calibrateOnCatheter, isocenterCalibration, measureSegment, readQcaFrame } from './index.ts';
import { PHANTOM_COUNT, phantomSpec, makePhantom } from './testing/phantom-set.ts';

const dir = mkdtempSync(join(tmpdir(), 'angio-qca-phantoms-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Row {
  name: string;
  mldError: number;
  dsError: number;
  catheterError: number;
}

const rows: Row[] = [];

function dumped(path: string, tag: string): number[] {
  const out = runOracle('dcmdump', ['+P', tag, path], { subject: path, encoding: 'latin1' }).stdout;
  const values = /\[([^\]]*)\]/.exec(out)?.[1] ?? /US (\d+)/.exec(out)?.[1];
  assert.ok(values, `dcmdump printed no ${tag} for ${path}:\n${out}`);
  return values.split('\\').map(Number);
}

test(`the phantom set (${PHANTOM_COUNT} XA files, 512² and 1024², 10–12 bit) covers the validation ranges`, () => {
  const specs = Array.from({ length: PHANTOM_COUNT }, (_, k) => phantomSpec(k));
  const range = (f: (s: (typeof specs)[number]) => number) => [Math.min(...specs.map(f)), Math.max(...specs.map(f))];
  const [dLo, dHi] = range((s) => s.healthyDiameterMm);
  const [sLo, sHi] = range((s) => s.stenosis);
  const [bLo, bHi] = range((s) => s.psfSigmaPx);
  assert.ok(dLo! < 1.6 && dHi! > 4.4, `healthy diameters ${dLo}–${dHi} mm`);
  assert.ok(sLo! < 0.22 && sHi! > 0.78, `stenoses ${sLo}–${sHi}`);
  assert.ok(bLo! < 0.55 && bHi! > 1.45, `PSF σ ${bLo}–${bHi} px`);
  assert.deepEqual(new Set(specs.map((s) => s.size)), new Set([512, 1024]));
  assert.deepEqual(new Set(specs.map((s) => s.bitsStored)), new Set([10, 11, 12]));
  assert.ok(specs.some((s) => s.eccentricity === 0) && specs.some((s) => s.eccentricity > 0.5), 'concentric and eccentric lesions');
});

test('every phantom is measured: isocenter calibration from its tags (as dcmdump reads them) and a catheter calibration', async () => {
  for (let k = 0; k < PHANTOM_COUNT; k++) {
    const spec = phantomSpec(k);
    const phantom = makePhantom(spec);
    const path = join(dir, `${spec.name}.dcm`);
    writeFileSync(path, phantom.bytes);
    const [spacing] = dumped(path, 'ImagerPixelSpacing');
    const [sid] = dumped(path, 'DistanceSourceToDetector');
    const [sod] = dumped(path, 'DistanceSourceToPatient');
    const [bits] = dumped(path, 'BitsStored');
    assert.equal(bits, spec.bitsStored);
    const { image, parsed } = await readQcaFrame(phantom.bytes, 0, spec.name);
    const calibration = isocenterCalibration(parsed.dataSet);
    assert.ok(calibration, `${spec.name}: no isocenter calibration`);
    assert.equal(calibration.method, 'isocenter');
    assert.ok(Math.abs(calibration.mmPerPixel! - (spacing! * sod!) / sid!) < 1e-9, `${spec.name}: ${calibration.mmPerPixel} mm/px vs dcmdump's geometry`);
    const { truth } = phantom.scene;
    const m = measureSegment(image, { frame: 0, start: truth.start, end: truth.end, calibration });
    assert.equal(m.unit, 'mm');
    const catheter = calibrateOnCatheter(image, spec.catheterFrench, truth.catheterStart, truth.catheterEnd);
    assert.equal(catheter.method, 'catheter');
    rows.push({
      name: spec.name,
      mldError: m.mld - truth.mldMm,
      dsError: m.diameterStenosisPct - truth.diameterStenosisPct,
      catheterError: catheter.mmPerPixel! / truth.mmPerPixel - 1,
    });
  }
  assert.equal(rows.length, PHANTOM_COUNT);
});

test('over the phantom set: MLD bias ≤ 0.10 mm, SD ≤ 0.15 mm; % diameter stenosis mean absolute error ≤ 5 points', () => {
  assert.equal(rows.length, PHANTOM_COUNT, 'the measuring test ran first');
  const errors = rows.map((r) => r.mldError);
  const bias = errors.reduce((a, b) => a + b, 0) / errors.length;
  const sd = Math.sqrt(errors.reduce((a, b) => a + (b - bias) ** 2, 0) / (errors.length - 1));
  const mae = rows.reduce((a, r) => a + Math.abs(r.dsError), 0) / rows.length;
  const table = rows.map((r) => `${r.name}: MLD ${r.mldError.toFixed(3)} mm, DS ${r.dsError.toFixed(1)} pts`).join('\n');
  assert.ok(Math.abs(bias) <= 0.1, `MLD bias ${bias.toFixed(3)} mm\n${table}`);
  assert.ok(sd <= 0.15, `MLD SD ${sd.toFixed(3)} mm\n${table}`);
  assert.ok(mae <= 5, `% DS mean absolute error ${mae.toFixed(2)} points\n${table}`);
});

test('catheter calibration recovers the known mm per pixel within 3 % on every phantom', () => {
  assert.equal(rows.length, PHANTOM_COUNT, 'the measuring test ran first');
  for (const r of rows) assert.ok(Math.abs(r.catheterError) <= 0.03, `${r.name}: catheter mm/px off by ${(100 * r.catheterError).toFixed(1)} %`);
});
