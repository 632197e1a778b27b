// `angio qca` run as a child process on real files: the XA cine (no calibration tags: pixels, or a manual or
// catheter calibration) and a phantom XA file whose isocenter geometry dcmdump reads back. The document has exactly
// the shape; failures are one {code, message} line on stderr with a non-zero exit.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { catheterDiameterPx, measureSegment, readQcaFrame, UNCALIBRATED } from '../qca/index.ts';
import { makePhantom, phantomSpec } from '../qca/testing/phantom-set.ts';
import { runOracle } from '../testing/oracle-tool.ts';
import type { QcaDocument } from './angio-qca.ts';
import { failureOf, jsonOf, runAngio } from './testing/run-angio.ts';

const cine = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');
const vessel = ['--start', '440,60', '--end', '412,200'];
const dir = mkdtempSync(join(tmpdir(), 'angio-qca-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function assertShape(doc: QcaDocument): void {
  assert.deepEqual(Object.keys(doc).sort(), ['areaStenosisPct', 'calibration', 'diameterStenosisPct', 'lesionLengthMm', 'mldMm', 'profile', 'referenceMm']);
  assert.deepEqual(Object.keys(doc.calibration).sort(), ['method', 'mmPerPixel']);
  for (const key of ['mldMm', 'referenceMm', 'diameterStenosisPct', 'areaStenosisPct', 'lesionLengthMm'] as const) assert.equal(typeof doc[key], 'number', key);
  assert.ok(doc.profile.length > 10);
  for (const p of doc.profile) assert.deepEqual(Object.keys(p).sort(), ['diameterMm', 'distanceMm']);
  assert.ok(doc.profile.every((p, i) => i === 0 || p.distanceMm > doc.profile[i - 1]!.distanceMm), 'distances increase along the segment');
  assert.ok(Math.abs(doc.diameterStenosisPct - 100 * (1 - doc.mldMm / doc.referenceMm)) < 0.02);
}

test('the XA cine without calibration: pixel units, method none, the library\'s own measurement', async () => {
  const doc = jsonOf<QcaDocument>(runAngio(['qca', cine, '--frame', '52', ...vessel, '--json']));
  assertShape(doc);
  assert.deepEqual(doc.calibration, { method: 'none', mmPerPixel: null });
  const { image } = await readQcaFrame(readFileSync(cine), 52, 'cine');
  const own = measureSegment(image, { frame: 52, start: { x: 440, y: 60 }, end: { x: 412, y: 200 }, calibration: UNCALIBRATED });
  assert.ok(Math.abs(doc.mldMm - own.mld) < 1e-3, `CLI MLD ${doc.mldMm} px vs library ${own.mld}`);
  assert.equal(doc.profile.length, own.profile.length);
  const chord = Math.hypot(440 - 412, 200 - 60);
  const along = doc.profile[doc.profile.length - 1]!.distanceMm;
  assert.ok(along >= chord - 1 && along < chord * 1.3, `the profile runs ${along} px for a ${chord} px chord`);
});

test('XA1 (1024², 10 bit, no calibration tags): measured in pixels on its one frame', () => {
  const xa1 = join(sharedDataDir(), 'dicom', 'xa', 'XA1_UNC.dcm');
  const doc = jsonOf<QcaDocument>(runAngio(['qca', xa1, '--frame', '0', '--start', '562,458', '--end', '640,452', '--json']));
  assertShape(doc);
  assert.deepEqual(doc.calibration, { method: 'none', mmPerPixel: null });
  assert.ok(doc.mldMm > 2 && doc.mldMm <= doc.referenceMm && doc.referenceMm < 30, `MLD ${doc.mldMm} px, reference ${doc.referenceMm} px`);
});

test('manual calibration scales the pixel figures; catheter calibration is French/3 mm over the catheter\'s width', async () => {
  const pixels = jsonOf<QcaDocument>(runAngio(['qca', cine, '--frame', '52', ...vessel, '--json']));
  const manual = jsonOf<QcaDocument>(runAngio(['qca', cine, '--frame', '52', ...vessel, '--calibration', 'manual:0.25', '--json']));
  assert.deepEqual(manual.calibration, { method: 'manual', mmPerPixel: 0.25 });
  assert.ok(Math.abs(manual.mldMm - 0.25 * pixels.mldMm) < 1e-3);
  assert.ok(Math.abs(manual.diameterStenosisPct - pixels.diameterStenosisPct) < 0.011);
  const catheter = jsonOf<QcaDocument>(runAngio(['qca', cine, '--frame', '52', ...vessel, '--calibration', 'catheter:6:247,40:238,100', '--json']));
  assert.equal(catheter.calibration.method, 'catheter');
  const { image } = await readQcaFrame(readFileSync(cine), 52, 'cine');
  const width = catheterDiameterPx(image, { x: 247, y: 40 }, { x: 238, y: 100 });
  assert.ok(width > 3 && width < 15, `the catheter measures ${width} px across`);
  assert.ok(Math.abs(catheter.calibration.mmPerPixel! - 2 / width) < 1e-9);
});

test('a phantom XA file: isocenter calibration from its tags by default, as dcmdump reads them, and the MLD near the truth', () => {
  const phantom = makePhantom(phantomSpec(3));
  const path = join(dir, 'phantom.dcm');
  writeFileSync(path, phantom.bytes);
  const read = (tag: string) => Number(/\[([\d.]+)/.exec(runOracle('dcmdump', ['+P', tag, path], { subject: path, encoding: 'latin1' }).stdout)?.[1]);
  const mmPerPixel = (read('ImagerPixelSpacing') * read('DistanceSourceToPatient')) / read('DistanceSourceToDetector');
  const { start, end, mldMm } = phantom.scene.truth;
  const doc = jsonOf<QcaDocument>(runAngio(['qca', path, '--frame', '0', '--start', `${start.x.toFixed(1)},${start.y.toFixed(1)}`, '--end', `${end.x.toFixed(1)},${end.y.toFixed(1)}`, '--json']));
  assertShape(doc);
  assert.equal(doc.calibration.method, 'isocenter');
  assert.ok(Math.abs(doc.calibration.mmPerPixel! - mmPerPixel) < 1e-9);
  assert.ok(Math.abs(doc.mldMm - mldMm) < 0.15, `MLD ${doc.mldMm} mm, phantom ${mldMm} mm`);
});

test('without --json: plain lines that say the figures are pixels; without --frame the suggested end-diastolic frame', () => {
  const run = runAngio(['qca', cine, ...vessel]);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /frame 52: segment/);
  assert.match(run.stdout, /uncalibrated: every length is in pixels/);
  assert.match(run.stdout, /area stenosis [\d.]+ % \(circular lumen assumed\)/);
});

test('help: `angio qca --help` gives the usage with the JSON shape, and `angio --help` lists qca', () => {
  const help = runAngio(['qca', '--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: angio qca <file\.dcm> --start X,Y --end X,Y/);
  assert.match(help.stdout, /mldMm, referenceMm, diameterStenosisPct, areaStenosisPct,\s+lesionLengthMm, profile: \[\{ distanceMm, diameterMm \}\]/);
  assert.match(runAngio(['--help']).stdout, /^ {2}angio qca <file\.dcm>/m);
});

test('failures: one {code, message} line on stderr and a non-zero exit', () => {
  const badCalibration = runAngio(['qca', cine, ...vessel, '--calibration', 'ruler', '--json']);
  assert.equal(failureOf(badCalibration).code, 'invalid-calibration');
  assert.equal(badCalibration.status, 2);
  assert.equal(failureOf(runAngio(['qca', cine, '--start', '440,60', '--json'])).code, 'invalid-point');
  const past = runAngio(['qca', cine, '--frame', '96', ...vessel, '--json']);
  assert.equal(failureOf(past).code, 'invalid-frame');
  assert.match(failureOf(past).message, /frames 0–95; frame 96 does not exist/);
  const noGeometry = failureOf(runAngio(['qca', cine, '--frame', '52', ...vessel, '--calibration', 'isocenter', '--json']));
  assert.equal(noGeometry.code, 'calibration-unavailable');
  assert.match(noGeometry.message, /catheter/);
  assert.equal(failureOf(runAngio(['qca', cine, '--frame', '52', '--start', '5000,60', '--end', '412,200', '--json'])).code, 'invalid-input');
});
