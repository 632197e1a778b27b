// The renderer's grey mapping: PS3.3 C.11.2.1.2.1's linear VOI at its edges and midpoint, LUTs over the whole
// stored range (signed and unsigned), inversion, and the preset windows. dcmtk checks the same mapping end to end
// (e2e/viewer.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildGreyLut, dragWindow, fullRangeWindow, linearExactVoi, linearVoi, percentileWindow, renderGrey, renderRgb, sigmoidVoi, windowSpanning } from './voi.ts';

test('linear VOI follows the standard: black at or below c−0.5−(w−1)/2, white above c−0.5+(w−1)/2, linear between', () => {
  const c = 512;
  const w = 256;
  assert.equal(linearVoi(c - 0.5 - 127.5, c, w), 0);
  assert.equal(linearVoi(c - 0.5 - 127.5 + 1e-9, c, w) < 1e-6, true);
  assert.equal(linearVoi(c - 0.5 + 127.5 + 0.001, c, w), 255);
  assert.equal(linearVoi(c - 0.5 + 127.5, c, w), 255);
  assert.equal(linearVoi(c - 0.5, c, w), 127.5);
  // y = ((x − (c − 0.5)) / (w − 1) + 0.5) · 255
  for (const x of [400, 450, 511, 512, 600]) assert.equal(linearVoi(x, c, w), Math.min(255, Math.max(0, ((x - 511.5) / 255 + 0.5) * 255)));
});

test('a window of width 1 is the standard threshold: black at or below c−0.5, white above', () => {
  assert.equal(linearVoi(99, 100, 1), 0);
  assert.equal(linearVoi(100, 100, 1), 255);
  // At a half-integer centre the value c − 0.5 itself is at the threshold, so black (x <= c − 0.5 − (w−1)/2).
  assert.equal(linearVoi(128, 128.5, 1), 0);
  assert.equal(linearVoi(129, 128.5, 1), 255);
});

test('the LUT covers every stored value, applies rescale before the window, and clamps what lies outside', () => {
  const lut = buildGreyLut({ bitsStored: 10, signed: false, rescale: { slope: 2, intercept: -100 }, window: { center: 400, width: 200 }, invert: false });
  assert.equal(lut.first, 0);
  assert.equal(lut.rgba.length, 1024);
  const out = new Uint32Array(4);
  renderGrey(Uint16Array.from([0, 250, 4000, 150]), lut, out);
  const grey = (p: number) => p & 0xff;
  assert.equal(grey(out[0]!), 0);
  assert.equal(grey(out[1]!), Math.round(linearVoi(400, 400, 200)));
  assert.equal(grey(out[2]!), 255); // beyond the stored range: clamped to the last entry
  assert.equal(out[3]! >>> 24, 0xff); // opaque
  for (const p of out) assert.equal(p & 0xff, (p >> 8) & 0xff);
});

test('signed stored values index from the most negative value; invert flips the grey', () => {
  const plain = buildGreyLut({ bitsStored: 12, signed: true, rescale: { slope: 1, intercept: 0 }, window: { center: 0, width: 4096 }, invert: false });
  const inverted = buildGreyLut({ bitsStored: 12, signed: true, rescale: { slope: 1, intercept: 0 }, window: { center: 0, width: 4096 }, invert: true });
  assert.equal(plain.first, -2048);
  const a = new Uint32Array(3);
  const b = new Uint32Array(3);
  renderGrey(Int16Array.from([-2048, 0, 2047]), plain, a);
  renderGrey(Int16Array.from([-2048, 0, 2047]), inverted, b);
  assert.deepEqual(Array.from(a, (p) => p & 0xff), [0, 128, 255]);
  assert.deepEqual(Array.from(b, (p) => p & 0xff), [255, 127, 0]);
});

test('colour pixels pass through (16-bit scaled to 8), inverted on request', () => {
  const out = new Uint32Array(1);
  renderRgb(Uint8Array.from([10, 20, 30]), 8, false, out);
  assert.deepEqual([out[0]! & 0xff, (out[0]! >> 8) & 0xff, (out[0]! >> 16) & 0xff], [10, 20, 30]);
  renderRgb(Uint16Array.from([0xff00, 0, 0x8000]), 16, true, out);
  assert.deepEqual([out[0]! & 0xff, (out[0]! >> 8) & 0xff, (out[0]! >> 16) & 0xff], [0, 255, 127]);
});

test('full range maps the lowest stored value to black and the highest to white', () => {
  const window = fullRangeWindow({ bitsStored: 10, signed: false }, { slope: 1, intercept: 0 });
  assert.deepEqual(window, { center: 512, width: 1024 });
  assert.equal(linearVoi(0, window.center, window.width), 0);
  assert.equal(linearVoi(1023, window.center, window.width), 255);
  assert.deepEqual(windowSpanning(10, 10), { center: 10.5, width: 1 });
});

test('the angiography preset spans the 1st to 99th percentile of the frame', () => {
  const samples = new Uint8Array(1000);
  for (let i = 0; i < 1000; i++) samples[i] = i < 5 ? 0 : i >= 995 ? 255 : 50 + Math.floor(i / 10);
  const window = percentileWindow(samples, { bitsStored: 8, signed: false }, { slope: 1, intercept: 0 });
  assert.deepEqual(window, windowSpanning(51, 149));
});

test('dragging right widens the window, down raises the centre, and the width never drops below 1', () => {
  assert.deepEqual(dragWindow({ center: 100, width: 50 }, 10, -4, 2), { center: 92, width: 70 });
  assert.equal(dragWindow({ center: 100, width: 50 }, -100, 0, 2).width, 1);
});

test('LINEAR_EXACT puts the window\'s edges exactly at c ± w/2 (PS3.3 C.11.2.1.3.2)', () => {
  assert.equal(linearExactVoi(400, 500, 200), 0);
  assert.equal(linearExactVoi(500, 500, 200), 127.5);
  assert.equal(linearExactVoi(600, 500, 200), 255);
  assert.equal(linearExactVoi(600.001, 500, 200), 255);
  assert.equal(linearExactVoi(450, 500, 200), 63.75);
});

test('SIGMOID is 255 / (1 + exp(−4 (x − c) / w)) (PS3.3 C.11.2.1.3.1), and the LUT uses the function it is given', () => {
  assert.equal(sigmoidVoi(500, 500, 200), 127.5);
  assert.ok(Math.abs(sigmoidVoi(600, 500, 200) - 255 / (1 + Math.exp(-2))) < 1e-12);
  const mapping = { bitsStored: 10, signed: false, rescale: { slope: 1, intercept: 0 }, window: { center: 500, width: 200 }, invert: false };
  const sigmoid = buildGreyLut({ ...mapping, voiFunction: 'SIGMOID' });
  const linear = buildGreyLut(mapping);
  assert.equal(sigmoid.rgba[0]! & 0xff, Math.round(sigmoidVoi(0, 500, 200)));
  assert.equal(sigmoid.rgba[600]! & 0xff, Math.round(sigmoidVoi(600, 500, 200)));
  assert.equal(linear.rgba[600]! & 0xff, 255, 'LINEAR when no function is given');
});
