// The series' pixel masks against a fake main that keeps them per series: loading shows the saved masks as the
// draft, rectangles are added and removed in the draft only, saving replaces main's masks, a refused save keeps the
// draft and says why in words, and a slower answer for an earlier series never overwrites the open one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InvokeOutput } from '../../../../src-preload/contract.ts';
import '../../testing/svelte-modules.ts';
import { createFakeApi, fail, settle } from '../../testing/fake-api.ts';

const { PixelMasksDraft, MAX_MASKS } = await import('./pixel-masks.svelte.ts');

type Cleaning = InvokeOutput<'viewer.pixelMasks'>;
type Rect = Cleaning['masks'][number];

const GRID = 512;
const MASKED_NOTE = 'Burned-in annotation: the masks set for the series were applied (Clean Pixel Data).';

/** Main's masks per series over a 512 × 512 image grid; a rectangle reaching past the grid is refused as main words it. */
function maskMain(seriesIds: number[]) {
  const masks = new Map<number, Rect[]>(seriesIds.map((id) => [id, []]));
  const cleaning = (seriesId: number): Cleaning => {
    const rects = masks.get(seriesId)!;
    return { seriesId, burnedIn: 'YES', masks: rects, note: rects.length > 0 ? MASKED_NOTE : 'Burned-in annotation present; pixels exported unchanged.' };
  };
  const missing = (seriesId: number) => fail('series-not-found', `Series ${seriesId} is not in the library; it may have been removed. Refresh the list.`);
  const fake = createFakeApi()
    .handle('viewer.pixelMasks', ({ seriesId }) => (masks.has(seriesId) ? cleaning(seriesId) : missing(seriesId)))
    .handle('viewer.setPixelMasks', ({ seriesId, masks: rects }) => {
      if (!masks.has(seriesId)) return missing(seriesId);
      const outside = rects.findIndex((r) => r.x + r.width > GRID || r.y + r.height > GRID);
      if (outside >= 0) {
        return fail('pixel-masks-invalid', `Mask ${outside + 1} (${JSON.stringify(rects[outside])}) is not a rectangle of whole pixels inside the image grid. Draw it again.`);
      }
      masks.set(seriesId, rects);
      return cleaning(seriesId);
    });
  return { fake, masks };
}

test('a series loads its saved masks as the draft; added and removed rectangles stay unsaved until Save', async () => {
  const { fake, masks } = maskMain([3]);
  masks.set(3, [{ x: 0, y: 0, width: 120, height: 24 }]);
  const draft = new PixelMasksDraft(fake.api);
  await draft.load(3);
  assert.deepEqual(draft.draft, [{ x: 0, y: 0, width: 120, height: 24 }]);
  assert.deepEqual([draft.cleaning?.note, draft.changed, draft.error], [MASKED_NOTE, false, null]);

  const typed = { x: 400, y: 480, width: 100, height: 30 };
  draft.add(typed);
  typed.x = 0;
  assert.equal(draft.draft[1]?.x, 400, 'the draft keeps its own copy of an added rectangle');
  assert.equal(draft.changed, true);
  draft.remove(0);
  assert.deepEqual(draft.draft, [{ x: 400, y: 480, width: 100, height: 30 }]);
  assert.deepEqual(masks.get(3), [{ x: 0, y: 0, width: 120, height: 24 }], 'nothing reaches main before Save');

  await draft.save();
  assert.deepEqual(fake.inputsOf('viewer.setPixelMasks'), [{ seriesId: 3, masks: [{ x: 400, y: 480, width: 100, height: 30 }], reader: null }]);
  assert.deepEqual(masks.get(3), [{ x: 400, y: 480, width: 100, height: 30 }]);
  assert.deepEqual([draft.changed, draft.saving, draft.error], [false, false, null]);

  draft.remove(0);
  await draft.save();
  assert.deepEqual([masks.get(3), draft.cleaning?.masks, draft.changed], [[], [], false], 'an empty list removes the masks');
  assert.deepEqual(fake.violations, []);
});

test('a refused save keeps the draft and says why in words; a fixed draft then saves', async () => {
  const { fake, masks } = maskMain([3]);
  const draft = new PixelMasksDraft(fake.api);
  await draft.load(3);
  draft.add({ x: 10, y: 10, width: 40, height: 20 });
  draft.add({ x: 500, y: 0, width: 40, height: 20 });
  await draft.save();
  assert.equal(draft.error, 'Mask 2 ({"x":500,"y":0,"width":40,"height":20}) is not a rectangle of whole pixels inside the image grid. Draw it again.');
  assert.deepEqual([draft.draft.length, draft.changed, draft.saving, masks.get(3)], [2, true, false, []]);

  draft.remove(1);
  await draft.save();
  assert.deepEqual([draft.error, draft.changed, masks.get(3)], [null, false, [{ x: 10, y: 10, width: 40, height: 20 }]]);
  assert.deepEqual(fake.violations, []);
});

test('the draft holds at most the channel limit of rectangles', async () => {
  const { fake } = maskMain([3]);
  const draft = new PixelMasksDraft(fake.api);
  await draft.load(3);
  for (let i = 0; i <= MAX_MASKS; i++) draft.add({ x: i, y: 0, width: 1, height: 1 });
  assert.equal(draft.draft.length, MAX_MASKS);
  assert.equal(draft.draft.at(-1)?.x, MAX_MASKS - 1, 'the rectangle past the limit is not added');
  await draft.save();
  assert.deepEqual(fake.violations, [], 'a full draft is still one main accepts');
});

test('a series main cannot find is said in words, and a slower answer for an earlier series is dropped', async () => {
  const { fake, masks } = maskMain([3, 4]);
  const draft = new PixelMasksDraft(fake.api);
  await draft.load(9);
  assert.equal(draft.error, 'Series 9 is not in the library; it may have been removed. Refresh the list.');
  assert.deepEqual([draft.cleaning, draft.draft], [null, []]);

  masks.set(3, [{ x: 1, y: 1, width: 5, height: 5 }]);
  let release!: () => void;
  const slow = new Promise<void>((resolve) => (release = resolve));
  fake.handle('viewer.pixelMasks', async ({ seriesId }) => {
    if (seriesId === 3) await slow;
    return { seriesId, burnedIn: 'NO', masks: masks.get(seriesId)!, note: null };
  });
  const first = draft.load(3);
  await draft.load(4);
  release();
  await first;
  await settle();
  assert.deepEqual([draft.seriesId, draft.cleaning?.seriesId, draft.draft, draft.error], [4, 4, [], null]);
});
