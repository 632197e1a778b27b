// Builds the screen-check page (e2e/screen-check) to out/screen-check; part of `npm run build`.
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

export default defineConfig({
  root: resolve('e2e/screen-check'),
  base: './',
  plugins: [svelte()],
  build: { outDir: resolve('out/screen-check'), emptyOutDir: true, rollupOptions: { input: resolve('e2e/screen-check/index.html') } },
});
