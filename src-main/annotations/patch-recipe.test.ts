// The published patch recipe as pure geometry: one box makes a centred square positive and its four same-size
// neighbours, small boxes make nothing, edges shift positives and drop negatives, background keeps off the boxes,
// and the cut-and-resize matches numpy's independent matrix form of the same resampling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runPython } from '../testing/python-oracle.ts';
import { cutAndResize, DEFAULT_PATCH_PARAMS, planFramePatches, positiveSquare, type PatchParams } from './patch-recipe.ts';

const params = (change: Partial<PatchParams> = {}): PatchParams => ({ ...DEFAULT_PATCH_PARAMS, ...change });
const squares = (plan: ReturnType<typeof planFramePatches>) => plan.patches.map((p) => `${p.role} ${p.x},${p.y} ${p.side}`);

test('one box gives a square positive of side max(w, h) centred on it and its four 4-connected neighbours', () => {
  const plan = planFramePatches([{ x: 200, y: 180, width: 60, height: 40 }], 512, 512, params());
  assert.deepEqual(squares(plan), ['positive 200,170 60', 'left 140,170 60', 'right 260,170 60', 'above 200,110 60', 'below 200,230 60']);
  assert.deepEqual(plan.skipped, []);
});

test('an odd pixel of slack goes right and below, so the box stays inside the square', () => {
  assert.deepEqual(positiveSquare({ x: 100, y: 100, width: 33, height: 40 }, 512, 512), { x: 97, y: 100, side: 40 });
  assert.deepEqual(positiveSquare({ x: 100, y: 100, width: 40, height: 37 }, 512, 512), { x: 100, y: 99, side: 40 });
});

test('boxes whose square is under 32 pixels make no patches at all', () => {
  const plan = planFramePatches([{ x: 100, y: 100, width: 31, height: 20 }, { x: 300, y: 300, width: 32, height: 10 }], 512, 512, params());
  assert.deepEqual(squares(plan).filter((s) => s.startsWith('positive')), ['positive 300,289 32']);
  assert.deepEqual(plan.skipped, [{ box: 0, role: 'positive', reason: 'under-min-side' }]);
});

test('at the frame edge the positive shifts inside and the crossing negative is dropped', () => {
  const plan = planFramePatches([{ x: 480, y: 250, width: 30, height: 50 }], 512, 512, params());
  assert.deepEqual(squares(plan), ['positive 462,250 50', 'left 412,250 50', 'above 462,200 50', 'below 462,300 50']);
  assert.deepEqual(plan.skipped, [{ box: 0, role: 'right', reason: 'crosses-edge' }]);
  const corner = planFramePatches([{ x: 0, y: 0, width: 40, height: 40 }], 512, 512, params());
  assert.deepEqual(squares(corner), ['positive 0,0 40', 'right 40,0 40', 'below 0,40 40']);
});

test('optionally, negatives overlapping another box on the frame are dropped', () => {
  const boxes = [{ x: 200, y: 200, width: 40, height: 40 }, { x: 250, y: 210, width: 20, height: 20 }];
  assert.ok(squares(planFramePatches(boxes, 512, 512, params())).includes('right 240,200 40'));
  const avoiding = planFramePatches(boxes, 512, 512, params({ avoidOtherBoxes: true }));
  assert.ok(!squares(avoiding).includes('right 240,200 40'));
  assert.deepEqual(avoiding.skipped, [{ box: 0, role: 'right', reason: 'overlaps-box' }, { box: 1, role: 'positive', reason: 'under-min-side' }]);
});

test('random background squares keep their margin from every box and are the same for the same seed', () => {
  const boxes = [{ x: 100, y: 100, width: 50, height: 50 }, { x: 300, y: 260, width: 40, height: 60 }];
  const withBackground = params({ negatives: false, background: { perFrame: 12, side: 64, margin: 32, seed: 7 } });
  const plan = planFramePatches(boxes, 512, 512, withBackground, 99);
  const background = plan.patches.filter((p) => p.role === 'background');
  assert.equal(background.length, 12);
  for (const p of background) {
    assert.ok(p.x >= 0 && p.y >= 0 && p.x + 64 <= 512 && p.y + 64 <= 512);
    for (const b of boxes) {
      const apart = p.x >= b.x + b.width + 32 || b.x >= p.x + 64 + 32 || p.y >= b.y + b.height + 32 || b.y >= p.y + 64 + 32;
      assert.ok(apart, `background ${p.x},${p.y} within 32 px of box ${b.x},${b.y}`);
    }
  }
  assert.deepEqual(planFramePatches(boxes, 512, 512, withBackground, 99), plan);
  assert.notDeepEqual(planFramePatches(boxes, 512, 512, withBackground, 100), plan);
});

test('cut and resize agrees with numpy (area when shrinking, bilinear when enlarging)', () => {
  const width = 97;
  const height = 83;
  const pixels = Uint8Array.from({ length: width * height }, (_, i) => (i * 37 + ((i / width) | 0) * 11) % 256);
  const cases = [{ x: 3, y: 2, side: 80 }, { x: 10, y: 2, side: 50 }, { x: 0, y: 0, side: 64 }, { x: 40, y: 30, side: 33 }, { x: 1, y: 1, side: 48 }];
  const ours = cases.map((c) => Array.from(cutAndResize({ width, height, pixels }, c, 64)));
  const theirs = runPython<number[][]>(
    `
import json, sys, numpy as np
data = json.load(sys.stdin)
frame = np.array(data['pixels'], dtype=np.float64).reshape(data['height'], data['width'])
def weights(n, m):
    r = n / m
    W = np.zeros((m, n))
    j = np.arange(m)[:, None]
    i = np.arange(n)[None, :]
    if r >= 1:
        W = np.clip(np.minimum((j + 1) * r, i + 1) - np.maximum(j * r, i), 0, None) / r
    else:
        c = np.clip((np.arange(m) + 0.5) * r - 0.5, 0, n - 1)
        i0 = np.floor(c).astype(int); i1 = np.minimum(i0 + 1, n - 1); f = c - i0
        W[np.arange(m), i0] += 1 - f
        W[np.arange(m), i1] += f
    return W
out = []
for c in data['cases']:
    patch = frame[c['y']:c['y'] + c['side'], c['x']:c['x'] + c['side']]
    W = weights(c['side'], 64)
    out.append(np.clip(np.rint(W @ patch @ W.T), 0, 255).astype(int).ravel().tolist())
print(json.dumps(out))
`,
    { width, height, pixels: Array.from(pixels), cases },
  );
  cases.forEach((c, k) => {
    const diff = ours[k]!.map((v, i) => Math.abs(v - theirs[k]![i]!));
    assert.ok(Math.max(...diff) <= 1, `square ${JSON.stringify(c)}: max difference ${Math.max(...diff)} grey levels`);
    assert.ok(diff.filter((d) => d > 0).length < 0.01 * diff.length, `square ${JSON.stringify(c)}: ${diff.filter((d) => d > 0).length} rounding differences`);
  });
});
