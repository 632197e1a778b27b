// Dataset-item thumbnails over the binary pixel path (library.thumbnail by itemId), a few requests at a time.
// A grid cell that scrolls away withdraws its request, so a fast scroll through 10,000 items never queues
// thousands of fetches; finished thumbnails stay in a bounded cache.
import { api } from '../lib/api.ts';

const CONCURRENCY = 6;
const CACHE_LIMIT = 3000;
const cache = new Map<string, ImageData>();
const waiting = new Map<string, { itemId: number; size: number; listeners: Set<(image: ImageData | null) => void> }>();
let active = 0;

function toImage(width: number, height: number, grey: Uint8Array): ImageData {
  const image = new ImageData(width, height);
  const rgba = new Uint32Array(image.data.buffer);
  for (let i = 0; i < grey.length; i++) rgba[i] = (0xff000000 | (grey[i]! << 16) | (grey[i]! << 8) | grey[i]!) >>> 0;
  return image;
}

function pump(): void {
  while (active < CONCURRENCY && waiting.size > 0) {
    // Newest requests first: they belong to the cells on screen now.
    const key = [...waiting.keys()].pop()!;
    const entry = waiting.get(key)!;
    waiting.delete(key);
    active++;
    void api()
      .pixels['library.thumbnail']({ itemId: entry.itemId, size: entry.size })
      .then((result) => {
        const image = result.ok ? toImage(result.value.meta.width, result.value.meta.height, new Uint8Array(result.value.data)) : null;
        if (image) {
          cache.set(key, image);
          if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
        }
        for (const listener of entry.listeners) listener(image);
      })
      .finally(() => {
        active--;
        pump();
      });
  }
}

/** Calls `onImage` once with the thumbnail (null when it has none); the returned function withdraws the request. */
export function requestItemThumbnail(itemId: number, size: number, onImage: (image: ImageData | null) => void): () => void {
  const key = `${itemId}:${size}`;
  const cached = cache.get(key);
  if (cached) {
    onImage(cached);
    return () => {};
  }
  const entry = waiting.get(key) ?? { itemId, size, listeners: new Set() };
  entry.listeners.add(onImage);
  waiting.set(key, entry);
  queueMicrotask(pump);
  return () => {
    entry.listeners.delete(onImage);
    if (entry.listeners.size === 0 && waiting.get(key) === entry) waiting.delete(key);
  };
}
