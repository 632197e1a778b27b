// Builds the three Electron bundles. The preload is sandboxed, so it is CommonJS with zod bundled in:
// a sandboxed preload may require only `electron` and a few built-ins (guarded by e2e/build-guards.test.ts).
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { BUNDLED_WORKERS } from './src-main/workers/worker-entry.ts';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Worker threads are entries of their own, found at run time by src-main/workers/worker-entry.ts.
      rollupOptions: {
        input: { index: resolve('src-main/electron/main.ts'), ...Object.fromEntries(Object.entries(BUNDLED_WORKERS).map(([name, source]) => [name, resolve(source)])) },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src-preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [svelte()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
});
