// Instance and dataset-item thumbnails over the binary pixel path (library.thumbnail), a few requests at a time.
// A cell that scrolls away withdraws its request, so a fast scroll through 10,000 items never queues thousands of
// fetches; the newest requests go first because they belong to the cells on screen now. Finished thumbnails never
// change, so they stay in a cache bounded by count (oldest out first).
import type { AngioApi } from '../../../src-preload/api.ts';

export type ThumbnailTarget = { instanceId: number } | { itemId: number };
export type ThumbnailLoader = AngioApi['pixels']['library.thumbnail'];
/** Delivers the thumbnail once, or null when there is none (no pixels, or the fetch failed). */
export type ThumbnailListener = (image: ImageData | null) => void;

export interface ThumbnailCacheOptions {
  concurrency?: number;
  limit?: number;
}

function toImage(width: number, height: number, grey: Uint8Array): ImageData {
  const image = new ImageData(width, height);
  const rgba = new Uint32Array(image.data.buffer);
  for (let i = 0; i < grey.length; i++) rgba[i] = (0xff000000 | (grey[i]! << 16) | (grey[i]! << 8) | grey[i]!) >>> 0;
  return image;
}

function keyOf(target: ThumbnailTarget, size: number): string {
  return 'instanceId' in target ? `instance:${target.instanceId}:${size}` : `item:${target.itemId}:${size}`;
}

/** One cache over `load`; the app makes one in its store registry, tests build their own over a fake loader. */
export function createThumbnailCache(load: ThumbnailLoader, { concurrency = 6, limit = 3000 }: ThumbnailCacheOptions = {}) {
  const cache = new Map<string, ImageData>();
  const waiting = new Map<string, { target: ThumbnailTarget; size: number; listeners: Set<ThumbnailListener> }>();
  let active = 0;

  function pump(): void {
    while (active < concurrency && waiting.size > 0) {
      const key = [...waiting.keys()].pop()!;
      const entry = waiting.get(key)!;
      waiting.delete(key);
      active++;
      void load({ ...entry.target, size: entry.size })
        .then(
          (result) => (result.ok ? toImage(result.value.meta.width, result.value.meta.height, new Uint8Array(result.value.data)) : null),
          () => null,
        )
        .then((image) => {
          if (image) {
            cache.set(key, image);
            if (cache.size > limit) cache.delete(cache.keys().next().value as string);
          }
          for (const listener of entry.listeners) listener(image);
        })
        .finally(() => {
          active--;
          pump();
        });
    }
  }

  /** Calls `onImage` once with the thumbnail; the returned function withdraws the request if it has not started. */
  function request(target: ThumbnailTarget, size: number, onImage: ThumbnailListener): () => void {
    const key = keyOf(target, size);
    const cached = cache.get(key);
    if (cached) {
      onImage(cached);
      return () => {};
    }
    const entry = waiting.get(key) ?? { target, size, listeners: new Set<ThumbnailListener>() };
    entry.listeners.add(onImage);
    waiting.delete(key); // re-inserted last: a repeated request is the newest again
    waiting.set(key, entry);
    queueMicrotask(pump);
    return () => {
      entry.listeners.delete(onImage);
      if (entry.listeners.size === 0 && waiting.get(key) === entry) waiting.delete(key);
    };
  }

  return { request, cachedCount: () => cache.size };
}

export type ThumbnailCache = ReturnType<typeof createThumbnailCache>;
