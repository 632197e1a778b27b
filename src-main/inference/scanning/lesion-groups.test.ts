// Grouping candidates across a cine run: the partition equals scipy's connected components of the same "overlap on
// a neighbouring frame" graph (built by python from the boxes alone), on random boxes and on a drifting lesion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scipyGroups } from '../testing/scipy-groups.ts';
import { frameRangeWords, groupAcrossFrames, type FrameBoxed } from './lesion-groups.ts';

const partition = (groups: number[][]) => groups.map((g) => [...g].sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);

test('random boxes over 12 frames: the same groups as scipy connected components', () => {
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const boxes: FrameBoxed[] = Array.from({ length: 120 }, () => ({
    frame: Math.floor(random() * 12), x: Math.floor(random() * 400), y: Math.floor(random() * 400), width: 64, height: 64, probability: random(),
  }));
  const indexed = boxes.map((b, index) => ({ ...b, index }));
  const ours = groupAcrossFrames(indexed).map((g) => g.members.map((m) => m.index));
  assert.deepEqual(partition(ours), partition(scipyGroups(boxes)));
  for (const group of groupAcrossFrames(indexed)) {
    assert.equal(group.best.probability, Math.max(...group.members.map((m) => m.probability)));
    const frames = new Set(group.members.map((m) => m.frame));
    for (let f = group.firstFrame; f <= group.lastFrame; f++) assert.ok(frames.has(f), 'a group is seen on every frame of its range');
  }
});

test('a lesion drifting 16 pixels a frame over six frames is one lesion; a box far away, or two frames off, is another', () => {
  const drift: FrameBoxed[] = Array.from({ length: 6 }, (_, f) => ({ frame: 10 + f, x: 100 + 16 * f, y: 200, width: 64, height: 64, probability: f === 3 ? 0.9 : 0.6 }));
  const far = { frame: 12, x: 400, y: 20, width: 64, height: 64, probability: 0.95 };
  const skipped = { frame: 18, x: 180, y: 200, width: 64, height: 64, probability: 0.5 };
  const groups = groupAcrossFrames([...drift, far, skipped]);
  assert.deepEqual(groups.map((g) => [g.firstFrame, g.lastFrame, g.members.length]), [[12, 12, 1], [10, 15, 6], [18, 18, 1]], 'best first');
  assert.equal(groups[1]!.best, drift[3]);
  assert.deepEqual(partition(groups.map((g) => g.members.map((m) => [...drift, far, skipped].indexOf(m)))), partition(scipyGroups([...drift, far, skipped])));
  assert.equal(frameRangeWords(10, 15), 'frames 11-16');
  assert.equal(frameRangeWords(12, 12), 'frame 13');
});
