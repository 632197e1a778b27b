// Calibration by the standard's rules and the suggested end-diastolic frame: isocenter from Imager Pixel Spacing and
// the source distances (or the magnification factor), Pixel Spacing only when the file says it is calibrated; R waves
// from the real XA cine (checked against dcmdump), R peaks from an ECG trace, and the image-based choice.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedDataDir } from '../app/paths.ts';
import { readAngioMetadata, readDicom } from '../dicom/index.ts';
import { encodeText, writeDataSet, writePart10, type OutElement } from '../dicom/writer.ts';
import { runOracle } from '../testing/oracle-tool.ts';
import { catheterCalibration, ecgEndDiastolicFrames, frenchToMm, imageEndDiastolicFrame, isocenterCalibration, readQcaFrame, rPeaks, suggestEndDiastolicFrame, type FloatImage } from './index.ts';
import { makePhantom, phantomSpec } from './testing/phantom-set.ts';

const cine = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');

function dataSetWith(values: Record<number, [string, string]>) {
  const elements: OutElement[] = Object.entries(values).map(([tag, [vr, value]]) => ({ tag: Number(tag), vr, value: encodeText(value, vr) }));
  elements.push({ tag: 0x00080016, vr: 'UI', value: encodeText('1.2.840.10008.5.1.4.1.1.12.1', 'UI') });
  const body = writeDataSet(elements, { littleEndian: true, explicitVr: true });
  const file = writePart10({ sopClassUid: '1.2.840.10008.5.1.4.1.1.12.1', sopInstanceUid: '2.25.1', transferSyntaxUid: '1.2.840.10008.1.2.1', implementationClassUid: '2.25.2', implementationVersionName: 'TEST' }, body);
  return readDicom(file, 'calibration test').dataSet;
}

test('isocenter: Imager Pixel Spacing × Distance Source to Patient ÷ Distance Source to Detector', () => {
  const ds = dataSetWith({ 0x00181164: ['DS', '0.154\\0.154'], 0x00181110: ['DS', '1100'], 0x00181111: ['DS', '750'], 0x00181114: ['DS', '1.2'] });
  const c = isocenterCalibration(ds);
  assert.equal(c?.method, 'isocenter');
  assert.ok(Math.abs(c!.mmPerPixel! - (0.154 * 750) / 1100) < 1e-12, `${c?.mmPerPixel}`);
  assert.match(c!.basis, /Distance Source to Patient 750/);
});

test('isocenter: Imager Pixel Spacing ÷ Estimated Radiographic Magnification Factor when the distances are missing', () => {
  const c = isocenterCalibration(dataSetWith({ 0x00181164: ['DS', '0.2\\0.2'], 0x00181114: ['DS', '1.25'] }));
  assert.ok(Math.abs(c!.mmPerPixel! - 0.16) < 1e-12);
});

test('Pixel Spacing counts only with a Pixel Spacing Calibration Type; alone it is not a calibration', () => {
  assert.equal(isocenterCalibration(dataSetWith({ 0x00280030: ['DS', '0.3\\0.3'] })), null);
  const c = isocenterCalibration(dataSetWith({ 0x00280030: ['DS', '0.3\\0.3'], 0x00280a02: ['CS', 'GEOMETRY'] }));
  assert.equal(c?.mmPerPixel, 0.3);
  assert.match(c!.basis, /GEOMETRY/);
});

test('catheter: French ÷ 3 mm over the measured diameter (6 F = 2.00 mm)', () => {
  assert.equal(frenchToMm(6), 2);
  const c = catheterCalibration(6, 10);
  assert.equal(c.method, 'catheter');
  assert.ok(Math.abs(c.mmPerPixel! - 0.2) < 1e-12);
  assert.throws(() => catheterCalibration(6, 0), RangeError);
});

test('the real XA cine: the suggestion is one of its R Wave Pointer frames (as dcmdump reads them), the best filled', async () => {
  const dump = runOracle('dcmdump', ['+P', 'RWavePointer', cine], { subject: cine, encoding: 'latin1' }).stdout;
  const rWaves = (/US ([\d\\]+)/.exec(dump)?.[1] ?? '').split('\\').map(Number);
  assert.ok(rWaves.length > 1, `dcmdump read R waves ${dump}`);
  const bytes = readFileSync(cine);
  const first = await readQcaFrame(bytes, 0, 'cine');
  const read = async (i: number) => (await readQcaFrame(bytes, i, 'cine')).image;
  const suggestion = await suggestEndDiastolicFrame(first.parsed, first.frames, read);
  assert.equal(suggestion.basis, 'r-wave-pointer');
  assert.deepEqual(suggestion.candidates, rWaves.map((f) => f - 1));
  const filling = imageEndDiastolicFrame(await Promise.all(suggestion.candidates.map(read))).filling;
  assert.equal(suggestion.frame, suggestion.candidates[filling.indexOf(Math.max(...filling))]);
});

test('R peaks are found in an ECG trace at the beats it was drawn with', () => {
  const rate = 500;
  const beats = [180, 610, 1020, 1470];
  const trace = Array.from({ length: 1800 }, (_, i) => 40 * Math.sin(i / 30) + beats.reduce((s, b) => s + 900 * Math.exp(-(((i - b) / 6) ** 2)) - 200 * Math.exp(-(((i - b - 14) / 6) ** 2)), 0));
  assert.deepEqual(rPeaks(trace, rate), beats);
});

test('an ECG waveform without R Wave Pointer: its R peaks become frames through the frame time', () => {
  const rate = 500;
  const beats = [250, 700, 1150];
  const samples = Int16Array.from({ length: 1500 }, (_, i) => Math.round(beats.reduce((s, b) => s + 1000 * Math.exp(-(((i - b) / 5) ** 2)), 0)));
  const meta = { ...readAngioMetadata(dataSetWith({})), frameTimeMs: 100, ecg: { channels: 1, samples: samples.length, samplingFrequency: rate, bitsAllocated: 16, data: samples } };
  // R peaks at 0.5 s, 1.4 s and 2.3 s fall on frames 5, 14 and 23 of a 100 ms run of 30 frames.
  assert.deepEqual(ecgEndDiastolicFrames(meta, 30), { basis: 'ecg-waveform', frames: [5, 14, 23] });
});

test('without an ECG the images decide: the frame of most filling among still frames', () => {
  const { bytes } = makePhantom(phantomSpec(0));
  return readQcaFrame(bytes, 0, 'phantom').then(({ image }) => {
    let background = 0;
    for (const v of image.data) background = Math.max(background, v);
    const filling = [0.1, 0.3, 0.5, 0.7, 0.9, 1, 0.95, 0.6];
    const shift = [0, 6, 12, 14, 15, 15, 15, 9];
    const frames: FloatImage[] = filling.map((f, k) => {
      const data = new Float32Array(image.data.length);
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          const from = Math.min(image.width - 1, Math.max(0, x - shift[k]!));
          data[y * image.width + x] = background - f * (background - image.data[y * image.width + from]!);
        }
      }
      return { width: image.width, height: image.height, data };
    });
    assert.equal(imageEndDiastolicFrame(frames).frame, 5);
  });
});
