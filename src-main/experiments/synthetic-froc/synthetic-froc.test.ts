// The synthetic FROC on a small case whose answers are known without a model: pasting keeps the frame outside the
// patch, matches the patch's border to the frame under it and keeps its inside contrast; placements use every patch
// once, inside the frame and apart; and with a darkness "scanner" the dark pasted lesions are hit while a dark
// pasted negative is a false positive counted as one on a pasted negative.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blendWeight, featherWidth, pasteBlended, planPlacements, syntheticFroc, type Grey8, type PatchRef, type Placement } from './index.ts';

const flat = (width: number, height: number, value: number): Grey8 => ({ width, height, pixels: new Uint8Array(width * height).fill(value) });

/** A square patch at `ring` grey with a `core` square of half its side in the middle. */
function ringed(side: number, ring: number, core: number): Grey8 {
  const patch = flat(side, side, ring);
  for (let r = side / 4; r < (3 * side) / 4; r++) for (let c = side / 4; c < (3 * side) / 4; c++) patch.pixels[r * side + c] = core;
  return patch;
}

test('blend weights rise smoothly from the edge to 1 a feather inside', () => {
  const feather = featherWidth(40);
  assert.equal(feather, 6);
  assert.equal(featherWidth(10), 3, 'at least three pixels');
  const weights = Array.from({ length: feather + 2 }, (_, d) => blendWeight(d, feather));
  assert.ok(weights[0]! > 0 && weights[0]! < 0.05, `edge weight ${weights[0]}`);
  for (let d = 1; d < weights.length; d++) assert.ok(weights[d]! >= weights[d - 1]!, 'never falls inwards');
  assert.equal(weights[feather], 1);
});

test('a pasted patch leaves the frame outside it untouched, meets the frame at its border and keeps its own contrast', () => {
  const frame = flat(100, 80, 120);
  // Ring 60 (offset +60 to meet 120), core 20: inside, the lesion stays 40 grey levels darker than its surroundings.
  const patch = ringed(40, 60, 20);
  const out = pasteBlended(frame, patch, 30, 20);
  for (let y = 0; y < 80; y++) {
    for (let x = 0; x < 100; x++) {
      const insidePatch = x >= 30 && x < 70 && y >= 20 && y < 60;
      if (!insidePatch) assert.equal(out.pixels[y * 100 + x], 120, `outside pixel ${x},${y} changed`);
    }
  }
  // The ring is shifted to the frame's grey, so the seam is invisible; the core is shifted by the same offset.
  assert.equal(out.pixels[(20 + 2) * 100 + 30 + 20], 120, 'ring pixel near the edge');
  assert.equal(out.pixels[(20 + 20) * 100 + 30 + 20], 20 + 60, 'core pixel at the centre');
  assert.deepEqual(frame.pixels, new Uint8Array(100 * 80).fill(120), 'the frame passed in is not modified');
  assert.throws(() => pasteBlended(frame, patch, 70, 20), /does not fit/);
});

test('a patch on a textured frame blends: its edge pixel is mostly frame, its centre all patch', () => {
  const frame: Grey8 = { width: 64, height: 64, pixels: Uint8Array.from({ length: 64 * 64 }, (_, i) => (i % 64) * 2) };
  const patch = flat(20, 20, 200);
  const out = pasteBlended(frame, patch, 22, 22);
  // Offset: the frame's ring mean minus 200, so the flat patch becomes the ring's mean grey in the middle.
  let sum = 0;
  let n = 0;
  const feather = featherWidth(20);
  for (let r = 0; r < 20; r++) for (let c = 0; c < 20; c++) if (Math.min(r, c, 19 - r, 19 - c) < feather) (sum += frame.pixels[(22 + r) * 64 + 22 + c]!), n++;
  const ringMean = sum / n;
  assert.equal(out.pixels[32 * 64 + 32], Math.round(ringMean));
  const edge = out.pixels[22 * 64 + 22]!;
  const w = blendWeight(0, feather);
  assert.equal(edge, Math.round(w * ringMean + (1 - w) * frame.pixels[22 * 64 + 22]!));
});

test('placements use every patch once, inside the frame, apart by the gap, the same for the same seed', () => {
  const refs = (label: 'positive' | 'negative', n: number): PatchRef[] => Array.from({ length: n }, (_, i) => ({ id: `${label}-${i}`, label, width: 30 + 10 * (i % 3), height: 30 + 10 * (i % 3) }));
  const options = { frameWidth: 256, frameHeight: 256, frames: [3, 5, 7, 9, 11], positivesPerFrame: 2, negativesPerFrame: 1, gap: 16, seed: 4 };
  const plans = planPlacements(refs('positive', 8), refs('negative', 4), options);
  assert.deepEqual(plans.map((p) => p.frame), [3, 5, 7, 9]);
  const all = plans.flatMap((p) => p.placements);
  assert.deepEqual(all.map((p) => p.id).sort(), [...refs('positive', 8), ...refs('negative', 4)].map((p) => p.id).sort());
  for (const plan of plans) {
    for (const [i, a] of plan.placements.entries()) {
      assert.ok(a.x >= 8 && a.y >= 8 && a.x + a.width <= 248 && a.y + a.height <= 248, `${a.id} at ${a.x},${a.y} is too close to the edge`);
      for (const b of plan.placements.slice(i + 1)) {
        const separated = a.x >= b.x + b.width + 16 || b.x >= a.x + a.width + 16 || a.y >= b.y + b.height + 16 || b.y >= a.y + a.height + 16;
        assert.ok(separated, `${a.id} and ${b.id} closer than the gap`);
      }
    }
  }
  assert.deepEqual(planPlacements(refs('positive', 8), refs('negative', 4), options), plans);
  assert.throws(() => planPlacements(refs('positive', 8), [], { ...options, frames: [1, 2] }), /left over/);
});

test('FROC of dark pasted lesions under a darkness scanner: every lesion hit first, a dark negative is a false positive', async () => {
  // Three frames, one lesion each (a dark core), and one negative each: two bright (invisible to the scanner), one
  // dark like a lesion. The scanner scores each pixel by its darkness, so the candidates are known in advance.
  const positives: Placement[] = [
    { id: 'p0', label: 'positive', width: 24, height: 24, x: 20, y: 20 },
    { id: 'p1', label: 'positive', width: 24, height: 24, x: 90, y: 30 },
    { id: 'p2', label: 'positive', width: 24, height: 24, x: 40, y: 90 },
  ];
  const negatives: Placement[] = [
    { id: 'n0', label: 'negative', width: 24, height: 24, x: 90, y: 90 },
    { id: 'n1', label: 'negative', width: 24, height: 24, x: 20, y: 90 },
    { id: 'n2', label: 'negative', width: 24, height: 24, x: 90, y: 20 },
  ];
  const plans = [0, 1, 2].map((i) => ({ frame: 10 + i, placements: [positives[i]!, negatives[i]!] }));
  const patches: Record<string, Grey8> = { p0: ringed(24, 150, 10), p1: ringed(24, 150, 30), p2: ringed(24, 150, 50), n0: ringed(24, 150, 150), n1: ringed(24, 150, 40), n2: ringed(24, 150, 150) };
  const scanned: Grey8[] = [];
  const result = await syntheticFroc({
    plans,
    readFrame: async () => flat(128, 128, 150),
    readPatch: async (p) => patches[p.id]!,
    scan: async (image) => {
      scanned.push(image);
      return { heatmap: Float32Array.from(image.pixels, (v) => (255 - v) / 255), windowPixels: 24 };
    },
    maxCandidatesPerFrame: 3,
  });
  assert.equal(scanned.length, 3, 'each composed frame is scanned once');
  assert.equal(scanned[0]!.pixels[(20 + 12) * 128 + 20 + 12], 10, 'the scanner sees the pasted lesion');
  assert.deepEqual([result.frames, result.lesions, result.negatives, result.windowPixels], [3, 3, 3, 24]);
  const top = result.score.candidates.slice(0, 4).map((c) => `${c.frame} ${c.outcome} ${((1 - c.score) * 255).toFixed(0)}`);
  assert.deepEqual(top, ['frame 10 hit 10', 'frame 11 hit 30', 'frame 11 false-positive 40', 'frame 12 hit 50']);
  // 1 FP over 3 frames = 0.33 FP/frame: sensitivity 2/3 below it, 1 from it on.
  assert.deepEqual(result.atFpRates.map((r) => [r.fpPerFrame, r.sensitivity]), [[0.5, 1], [1, 1], [2, 1]]);
  const strict = result.score.froc.filter((p) => p.fpPerFrame === 0).at(-1)!;
  assert.equal(strict.sensitivity, 2 / 3);
  assert.ok(result.falsePositives.onPastedNegative >= 1, 'the dark negative counts as a false positive on a pasted negative');
  // Peaks inside the boxes: lesions 10, 30, 50 grey; negatives 150, 40, 150 → 8 of 9 pairs ordered right.
  assert.deepEqual(result.pastedPeaks.map((p) => [p.id, Math.round((1 - p.peak) * 255)]), [['p0', 10], ['n0', 150], ['p1', 30], ['n1', 40], ['p2', 50], ['n2', 150]]);
  assert.ok(Math.abs(result.pastedAuc - 8 / 9) < 1e-12, `AUC ${result.pastedAuc}`);
  assert.equal(result.falsePositives.onPastedNegative + result.falsePositives.onBackground, result.score.candidates.filter((c) => c.outcome === 'false-positive').length);
});
