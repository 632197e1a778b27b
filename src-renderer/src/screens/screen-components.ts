// Which component draws each route. A screen folder registers here when it lands; others show PendingScreen.
import type { Component } from 'svelte';
import type { RouteId } from './routes.ts';
import LibraryScreen from './library/LibraryScreen.svelte';
import ViewerScreen from './viewer/ViewerScreen.svelte';

export const screenComponents: Partial<Record<RouteId, Component>> = {
  library: LibraryScreen,
  viewer: ViewerScreen,
};
