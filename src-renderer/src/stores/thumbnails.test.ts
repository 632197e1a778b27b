// The one thumbnail cache, against a fake library.thumbnail route: grey bytes become opaque RGBA, a few requests
// run at a time with the newest first, a withdrawn request is never fetched, finished images are served from the
// cache (bounded by count), and a failed fetch answers null without being cached.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createThumbnailCache, type ThumbnailLoader } from './thumbnails.ts';

// The browser's ImageData, as far as the cache uses it: width, height and RGBA bytes.
class FakeImageData {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.data = new Uint8ClampedArray(width * height * 4);
  }
}
(globalThis as Record<string, unknown>).ImageData ??= FakeImageData;

type Params = Parameters<ThumbnailLoader>[0];

/** A fake route whose answers the test releases one by one; grey value = the item or instance id. */
function fakeRoute() {
  const calls: Params[] = [];
  const pending: (() => void)[] = [];
  const load: ThumbnailLoader = (params) => {
    calls.push(params);
    const id = params.instanceId ?? params.itemId ?? 0;
    return new Promise((resolve) => {
      pending.push(() => {
        if (id < 0) resolve({ ok: false, error: { code: 'no-thumbnail', message: 'none' } } as Awaited<ReturnType<ThumbnailLoader>>);
        else resolve({ ok: true, value: { meta: { width: 2, height: 1, format: 'gray8' }, data: new Uint8Array([id, 255 - id]).buffer } });
      });
    });
  };
  const releaseAll = async () => {
    while (pending.length > 0) pending.shift()!();
    await new Promise((settle) => setTimeout(settle, 0));
  };
  return { load, calls, releaseAll };
}

const tick = () => new Promise((settle) => setTimeout(settle, 0));

test('grey bytes arrive as opaque RGBA, and a second request is answered from the cache without a fetch', async () => {
  const route = fakeRoute();
  const cache = createThumbnailCache(route.load);
  const images: (ImageData | null)[] = [];
  cache.request({ instanceId: 7 }, 64, (image) => images.push(image));
  await tick();
  await route.releaseAll();
  assert.deepEqual(route.calls, [{ instanceId: 7, size: 64 }]);
  assert.deepEqual([...images[0]!.data], [7, 7, 7, 255, 248, 248, 248, 255]);
  cache.request({ instanceId: 7 }, 64, (image) => images.push(image));
  assert.equal(images[1], images[0]);
  assert.equal(route.calls.length, 1);
});

test('instance and item thumbnails with the same id and size are different entries', async () => {
  const route = fakeRoute();
  const cache = createThumbnailCache(route.load);
  cache.request({ instanceId: 3 }, 64, () => {});
  cache.request({ itemId: 3 }, 64, () => {});
  await tick();
  await route.releaseAll();
  assert.deepEqual(route.calls, [{ itemId: 3, size: 64 }, { instanceId: 3, size: 64 }]);
  assert.equal(cache.cachedCount(), 2);
});

test('at most `concurrency` fetches at once, newest first; a withdrawn request is never fetched', async () => {
  const route = fakeRoute();
  const cache = createThumbnailCache(route.load, { concurrency: 2 });
  const withdraw = [1, 2, 3, 4, 5].map((itemId) => cache.request({ itemId }, 32, () => {}));
  withdraw[1]!(); // item 2 scrolled away before its turn
  await tick();
  assert.deepEqual(route.calls.map((call) => call.itemId), [5, 4]);
  await route.releaseAll();
  await route.releaseAll();
  assert.deepEqual(route.calls.map((call) => call.itemId), [5, 4, 3, 1]);
});

test('the cache keeps at most `limit` images, dropping the oldest', async () => {
  const route = fakeRoute();
  const cache = createThumbnailCache(route.load, { limit: 2 });
  for (const itemId of [1, 2, 3]) {
    cache.request({ itemId }, 16, () => {});
    await tick();
    await route.releaseAll();
  }
  assert.equal(cache.cachedCount(), 2);
  cache.request({ itemId: 1 }, 16, () => {});
  await tick();
  assert.equal(route.calls.length, 4, 'the oldest image was dropped, so it is fetched again');
});

test('a failed fetch answers null and is not cached, so a later request tries again', async () => {
  const route = fakeRoute();
  const cache = createThumbnailCache(route.load);
  const images: (ImageData | null)[] = [];
  cache.request({ instanceId: -1 }, 64, (image) => images.push(image));
  await tick();
  await route.releaseAll();
  assert.equal(images.length, 1);
  assert.equal(images[0], null);
  assert.equal(cache.cachedCount(), 0);
  cache.request({ instanceId: -1 }, 64, (image) => images.push(image));
  await tick();
  assert.equal(route.calls.length, 2);
});
