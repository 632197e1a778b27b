// Which component draws each route. A screen folder registers here when it lands; others show PendingScreen.
import type { Component } from 'svelte';
import type { RouteId } from './routes.ts';

export const screenComponents: Partial<Record<RouteId, Component>> = {};
