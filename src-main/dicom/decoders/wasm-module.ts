// Loads an Emscripten codec build from node_modules with its .wasm bytes read from disk: under Node the factories
// would otherwise try fetch() or a path relative to the bundle. One instance per codec, created on first use.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// Named nodeRequire: bundlers (electron-vite) inject their own top-level `require` into the main bundle.
const nodeRequire = createRequire(import.meta.url);

export function loadEmscriptenCodec<T>(jsEntry: string, wasmEntry: string): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= (async () => {
      const factory = nodeRequire(jsEntry) as (options: { wasmBinary: Uint8Array; print: () => void; printErr: () => void }) => Promise<T>;
      // Codecs log progress ([INFO] lines) to stdout; their errors surface as exceptions instead.
      return factory({ wasmBinary: readFileSync(nodeRequire.resolve(wasmEntry)), print: () => {}, printErr: () => {} });
    })();
    return loading;
  };
}

export function requireCodec<T>(id: string): T {
  return nodeRequire(id) as T;
}

export function resolveCodecFile(id: string): string {
  return nodeRequire.resolve(id);
}
