// How a frame is drawn: the window presets (the file's, the angio percentiles, the whole stored range), a window
// dragged or typed, inversion with MONOCHROME1, and zoom about a point with pan. Expected windows are worked out
// here from the frame's own values, not taken from the code under test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../testing/svelte-modules.ts';
import { grayMeta, type FrameMeta } from '../../testing/viewer-fakes.ts';

const { FrameSource, ViewDisplay, ZOOM_LIMITS } = await import('./index.ts');

function showing(meta: FrameMeta, pixels: Uint8Array | Uint16Array) {
  const source = new FrameSource(() => assert.fail('no error expected'));
  source.showSingle({ meta, data: pixels.buffer as ArrayBuffer });
  return { source, display: new ViewDisplay(source) };
}

/** The window whose linear ramp runs from `low` to `high` (PS3.3 C.11.2.1.2: width covers high - low + 1). */
const spanning = (low: number, high: number) => ({ center: (low + high + 1) / 2, width: high - low + 1 });

test("the file's window when it has one, else the angio window from the frame's 1st-99th percentile", () => {
  const withWindow = showing(grayMeta({ window: { center: 40, width: 80 } }), new Uint8Array(8).fill(10));
  withWindow.display.applyDefault();
  assert.deepEqual(withWindow.display.window, { center: 40, width: 80 });
  assert.equal(withWindow.display.preset, 'file');

  // 100 pixels 0..99: the 1st percentile is 1 and the 99th is 99 (counting values strictly above each share).
  const meta = grayMeta({ width: 10, height: 10 });
  const ramp = Uint8Array.from({ length: 100 }, (_, i) => i);
  const { display } = showing(meta, ramp);
  display.applyDefault();
  assert.equal(display.preset, 'angio');
  const sorted = [...ramp].sort((a, b) => a - b);
  const low = sorted[Math.floor(0.01 * 100)]!;
  const high = sorted[Math.min(99, Math.floor(0.99 * 100))]!;
  assert.deepEqual(display.window, spanning(low, high));

  display.applyPreset('file');
  assert.equal(display.preset, 'full', 'asking for a window the file does not have gives the whole range');
  assert.deepEqual(display.window, spanning(0, 255));
});

test('the whole stored range follows bits stored, sign and rescale', () => {
  const meta = grayMeta({ format: 'grayS16', bitsAllocated: 16, bitsStored: 12, rescale: { slope: 2, intercept: -100 } });
  const { display } = showing(meta, new Uint16Array(8));
  display.applyPreset('full');
  const [min, max] = [-(2 ** 11), 2 ** 11 - 1];
  assert.deepEqual(display.window, spanning(min * 2 - 100, max * 2 - 100));
  assert.deepEqual(display.fullRange, display.window);
  assert.equal(display.signed, true);
});

test('a typed or dragged window becomes custom; nonsense is ignored', () => {
  const { display } = showing(grayMeta(), new Uint8Array(8));
  display.applyPreset('full');
  display.setWindow({ center: 30, width: 0 });
  assert.deepEqual(display.window, { center: 30, width: 1 }, 'a window is at least one value wide');
  assert.equal(display.preset, 'custom');
  display.setWindow({ center: Number.NaN, width: 10 });
  assert.deepEqual(display.window, { center: 30, width: 1 });

  display.setWindow({ center: 100, width: 50 });
  display.beginWindowDrag();
  // A drag across 512 screen pixels spans the stored range (256 values): 1 px = 0.5 value.
  display.dragWindowBy(64, -32);
  assert.deepEqual(display.window, { center: 100 - 16, width: 50 + 32 });
  display.dragWindowBy(128, 0);
  assert.deepEqual(display.window, { center: 100, width: 50 + 64 }, 'each move is measured from where the drag began');
  display.endWindowDrag();
  display.dragWindowBy(500, 500);
  assert.deepEqual(display.window, { center: 100, width: 114 }, 'no drag, no change');
});

test('MONOCHROME1 draws inverted; the user invert flips whatever the file says', () => {
  const mono1 = showing(grayMeta({ photometric: 'MONOCHROME1' }), new Uint8Array(8));
  assert.equal(mono1.display.effectiveInvert, true);
  mono1.display.toggleInvert();
  assert.equal(mono1.display.effectiveInvert, false);

  const { display } = showing(grayMeta(), Uint8Array.from([0, 255, 0, 255, 0, 255, 0, 255]));
  display.applyPreset('full');
  const plain = display.lut;
  display.toggleInvert();
  const inverted = display.lut;
  assert.ok(plain && inverted);
  // Whatever the table's layout, inverting maps the darkest value to what was the brightest's grey and back.
  const grey = (lut: NonNullable<typeof plain>, value: number) => lut.rgba[value - lut.first]!;
  assert.equal(grey(inverted, 0), grey(plain, 255));
  assert.equal(grey(inverted, 255), grey(plain, 0));
});

test('a colour frame has no grey table', () => {
  const { display } = showing(grayMeta({ format: 'rgb8', photometric: 'RGB' }), new Uint8Array(24));
  assert.equal(display.colour, true);
  assert.equal(display.lut, null);
});

test('zoom about a point keeps that point still; limits hold; reset fits and centres', () => {
  const { display } = showing(grayMeta(), new Uint8Array(8));
  display.panBy(30, -10);
  // The image point under the pointer (screen offset d from the centre) is (d - pan) / zoom before and after.
  const under = (d: number, pan: number, zoom: number) => (d - pan) / zoom;
  const before = [under(50, display.panX, display.zoom), under(-20, display.panY, display.zoom)];
  display.zoomAt(2, 50, -20);
  assert.equal(display.zoom, 2);
  assert.deepEqual([under(50, display.panX, display.zoom), under(-20, display.panY, display.zoom)], before);

  display.zoomAt(1e6);
  assert.equal(display.zoom, ZOOM_LIMITS.max);
  display.zoomAt(1e-9);
  assert.equal(display.zoom, ZOOM_LIMITS.min);

  display.setWindow({ center: 1, width: 2 });
  display.toggleInvert();
  display.reset();
  assert.deepEqual({ zoom: display.zoom, panX: display.panX, panY: display.panY, invert: display.invert, preset: display.preset }, { zoom: 1, panX: 0, panY: 0, invert: false, preset: 'angio' });
});
