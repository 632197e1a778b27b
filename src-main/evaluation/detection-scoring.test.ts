// Full-frame detection scoring over synthetic heatmaps whose answers are known: a peak on a box is a hit, a peak
// elsewhere a false positive, a second peak in a hit box a duplicate; FROC points and sensitivity at N FP/frame
// follow by counting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heatmapPeaks, scoreDetections, type HeatmapFrame } from './detection-scoring.ts';

/** A width × height heatmap with Gaussian blobs (centre x, y, height, sigma) on a flat background. */
function blobs(width: number, height: number, peaks: { x: number; y: number; h: number; s?: number }[], background = 0.05): Float32Array {
  const map = new Float32Array(width * height).fill(background);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (const p of peaks) map[y * width + x] = Math.max(map[y * width + x]!, p.h * Math.exp(-((x - p.x) ** 2 + (y - p.y) ** 2) / (2 * (p.s ?? 12) ** 2)));
    }
  }
  return map;
}

test('a heatmap peaking on the known box scores a hit at the top threshold with no false positive', () => {
  const box = { x: 200, y: 170, width: 60, height: 60, label: 'stenosis' };
  const frame: HeatmapFrame = { key: 'f1', width: 256 + 128, height: 320, heatmap: blobs(384, 320, [{ x: 230, y: 200, h: 0.93 }]), boxes: [box] };
  const score = scoreDetections([frame], { maxCandidatesPerFrame: 3 });
  assert.equal(score.boxes, 1);
  const top = score.candidates[0]!;
  assert.equal(top.outcome, 'hit');
  assert.equal(top.box, 0);
  assert.ok(Math.abs(top.x - 230) < 1 && Math.abs(top.y - 200) < 1, `peak at ${top.x},${top.y}`);
  assert.ok(Math.abs(top.score - 0.93) < 1e-6);
  assert.deepEqual(score.froc[0], { threshold: top.score, sensitivity: 1, fpPerFrame: 0, hits: 1, falsePositives: 0 });
  assert.equal(score.atFpRates.find((r) => r.fpPerFrame === 0.125)!.sensitivity, 1);
  assert.deepEqual(score.perClass, [{ label: 'stenosis', boxes: 1, hitAtAnyThreshold: 1 }]);
});

test('false positives and duplicates are counted per frame and sensitivity at N FP/frame follows', () => {
  const frames: HeatmapFrame[] = [
    // frame a: a strong false positive above a weaker hit
    { key: 'a', width: 200, height: 200, heatmap: blobs(200, 200, [{ x: 40, y: 40, h: 0.9 }, { x: 150, y: 150, h: 0.7 }]), boxes: [{ x: 130, y: 130, width: 40, height: 40 }] },
    // frame b: a hit, and a second peak inside the same (large) box: a duplicate, not a false positive
    { key: 'b', width: 200, height: 200, heatmap: blobs(200, 200, [{ x: 60, y: 100, h: 0.8, s: 6 }, { x: 140, y: 100, h: 0.6, s: 6 }]), boxes: [{ x: 20, y: 60, width: 170, height: 80 }] },
    // frame c: a box the heatmap misses entirely
    { key: 'c', width: 200, height: 200, heatmap: blobs(200, 200, [{ x: 20, y: 180, h: 0.5 }]), boxes: [{ x: 100, y: 20, width: 40, height: 40 }] },
  ];
  const score = scoreDetections(frames, { maxCandidatesPerFrame: 2, minScore: 0.3, fpRates: [0.25, 0.5, 1] });
  const outcomes = score.candidates.map((c) => `${c.frame} ${c.score.toFixed(1)} ${c.outcome}`);
  assert.deepEqual(outcomes, ['a 0.9 false-positive', 'b 0.8 hit', 'a 0.7 hit', 'b 0.6 duplicate', 'c 0.5 false-positive']);
  assert.deepEqual(
    score.froc.map((p) => [p.threshold.toFixed(1), p.hits, p.falsePositives]),
    [['0.9', 0, 1], ['0.8', 1, 1], ['0.7', 2, 1], ['0.6', 2, 1], ['0.5', 2, 2]],
  );
  assert.deepEqual(score.atFpRates.map((r) => [r.fpPerFrame, r.sensitivity]), [[0.25, 0], [0.5, 2 / 3], [1, 2 / 3]]);
  assert.ok(Math.abs(score.meanSensitivity - 4 / 9) < 1e-12);
  assert.deepEqual(
    score.perFrame.map((f) => [f.frame, f.boxes, f.hits, f.falsePositives, f.bestHitScore?.toFixed(1) ?? null]),
    [['a', 1, 1, 1, '0.7'], ['b', 1, 1, 0, '0.8'], ['c', 1, 0, 1, null]],
  );
});

test('a flat-topped window-mean plateau yields one candidate at its centre', () => {
  const width = 128;
  const map = new Float32Array(width * width).fill(0.1);
  for (let y = 40; y < 72; y++) for (let x = 64; x < 96; x++) map[y * width + x] = 0.8;
  const peaks = heatmapPeaks({ width, height: width, heatmap: map }, 32, 5, 0.5);
  assert.equal(peaks.length, 1);
  assert.ok(peaks[0]!.x > 70 && peaks[0]!.x < 90 && peaks[0]!.y > 45 && peaks[0]!.y < 66, `centroid ${peaks[0]!.x},${peaks[0]!.y}`);
  // Scored against a box round the plateau's centre, the first pixel of the plateau (64, 40) would have missed.
  const score = scoreDetections([{ key: 'p', width, height: width, heatmap: map, boxes: [{ x: 70, y: 46, width: 20, height: 20 }] }], { minScore: 0.5 });
  assert.equal(score.candidates[0]!.outcome, 'hit');
});
