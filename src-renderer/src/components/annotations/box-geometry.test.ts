// The box layer's geometry: the frame is placed as FrameCanvas places it, screen points map to frame pixels, and
// drawing, moving and resizing always give whole-pixel boxes inside the frame.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { growBox, moveBox, placeFrame, pointSquare, resizeBox, spanBox, toFrame } from './box-geometry.ts';

test('a 512² frame in an 800×600 viewport sits centred at 600/512 scale, and screen points map back to pixels', () => {
  const p = placeFrame(800, 600, 512, 512, 1, 0, 0);
  assert.equal(p.scale, 600 / 512);
  assert.deepEqual([p.left, p.top], [100, 0]);
  assert.deepEqual(toFrame(p, 100 + 256 * p.scale, 128 * p.scale), { x: 256, y: 128 });
  const zoomed = placeFrame(800, 600, 512, 512, 2, 30, -20);
  assert.deepEqual(toFrame(zoomed, zoomed.left, zoomed.top), { x: 0, y: 0 });
});

test('drawing spans whole pixels inside the frame in any drag direction', () => {
  assert.deepEqual(spanBox({ x: 260.4, y: 220.2 }, { x: 200.6, y: 180.9 }, 512, 512), { x: 200, y: 180, width: 61, height: 41 });
  assert.deepEqual(spanBox({ x: -20, y: 500 }, { x: 30, y: 700 }, 512, 512), { x: 0, y: 500, width: 30, height: 12 });
});

test('moving and resizing stay inside the frame and keep at least one pixel', () => {
  const box = { x: 10, y: 10, width: 40, height: 30 };
  assert.deepEqual(moveBox(box, -50, 3.4, 512, 512), { x: 0, y: 13, width: 40, height: 30 });
  assert.deepEqual(moveBox(box, 1000, 0, 512, 512), { x: 472, y: 10, width: 40, height: 30 });
  assert.deepEqual(resizeBox(box, 'se', 10, -100, 512, 512), { x: 10, y: 10, width: 50, height: 1 });
  assert.deepEqual(resizeBox(box, 'nw', -20, 5, 512, 512), { x: 0, y: 15, width: 50, height: 25 });
  assert.deepEqual(growBox(box, 5, -29, 512, 512), { x: 10, y: 10, width: 45, height: 1 });
});

test('a point + radius mark is a square about its centre, inside the frame', () => {
  assert.deepEqual(pointSquare({ x: 100, y: 100 }, { x: 124, y: 107 }, 512, 512), { x: 75, y: 75, width: 50, height: 50 });
  assert.deepEqual(pointSquare({ x: 10, y: 100 }, { x: 60, y: 100 }, 512, 512), { x: 0, y: 90, width: 20, height: 20 });
  assert.deepEqual(resizeBox({ x: 75, y: 75, width: 50, height: 50 }, 'se', 10, 2, 512, 512, true), { x: 70, y: 70, width: 60, height: 60 });
});
