// Builds the harness bridge as one classic script with zod bundled in (out/harness/bridge.js).
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: resolve('out/harness'),
    emptyOutDir: true,
    minify: false,
    lib: { entry: resolve('src-preload/harness-bridge.ts'), formats: ['iife'], name: 'angioBridge', fileName: () => 'bridge.js' },
  },
});
