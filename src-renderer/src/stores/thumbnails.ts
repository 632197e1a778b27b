// Thumbnails over the binary pixel path, fetched a few at a time and kept for the session (they never change).
import { api } from '../lib/api.ts';

const cache = new Map<string, Promise<ImageData>>();
const queue: (() => void)[] = [];
let active = 0;
const CONCURRENCY = 3;

function next(): void {
  while (active < CONCURRENCY && queue.length > 0) {
    active++;
    queue.shift()!();
  }
}

function fetchThumbnail(instanceId: number, size: number): Promise<ImageData> {
  return new Promise((resolve, reject) => {
    queue.push(() => {
      api()
        .pixels['library.thumbnail']({ instanceId, size })
        .then((result) => {
          if (!result.ok) throw new Error(result.error.message);
          const { width, height } = result.value.meta;
          const grey = new Uint8Array(result.value.data);
          const image = new ImageData(width, height);
          const rgba = new Uint32Array(image.data.buffer);
          for (let i = 0; i < grey.length; i++) rgba[i] = (0xff000000 | (grey[i]! << 16) | (grey[i]! << 8) | grey[i]!) >>> 0;
          resolve(image);
        })
        .catch(reject)
        .finally(() => {
          active--;
          next();
        });
    });
    next();
  });
}

export function thumbnail(instanceId: number, size = 64): Promise<ImageData> {
  const key = `${instanceId}:${size}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = fetchThumbnail(instanceId, size);
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
  }
  return entry;
}
