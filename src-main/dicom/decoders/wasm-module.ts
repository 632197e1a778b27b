// Loads an Emscripten codec build from node_modules with its .wasm bytes read from disk: under Node the factories
// would otherwise try fetch() or a path relative to the bundle. One instance per codec, created on first use.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function loadEmscriptenCodec<T>(jsEntry: string, wasmEntry: string): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= (async () => {
      const factory = require(jsEntry) as (options: { wasmBinary: Uint8Array; print: () => void; printErr: () => void }) => Promise<T>;
      // Codecs log progress ([INFO] lines) to stdout; their errors surface as exceptions instead.
      return factory({ wasmBinary: readFileSync(require.resolve(wasmEntry)), print: () => {}, printErr: () => {} });
    })();
    return loading;
  };
}

export function requireCodec<T>(id: string): T {
  return require(id) as T;
}

export function resolveCodecFile(id: string): string {
  return require.resolve(id);
}
