// The Viewer's store and its parts, and the shapes components draw from.
export { ViewerStore } from './viewer.svelte.ts';
export { FrameSource, type FrameReader } from './frames.svelte.ts';
export { ViewDisplay, ZOOM_LIMITS } from './display.svelte.ts';
export { CinePlayer } from './cine.svelte.ts';
export { RunOverlays } from './overlays.svelte.ts';
export type * from './types.ts';
