// Which component draws each route. Every route has one: the type refuses a route without its screen.
import type { Component } from 'svelte';
import type { RouteId } from './routes.ts';
import CurationScreen from './curation/CurationScreen.svelte';
import LibraryScreen from './library/LibraryScreen.svelte';
import NetworkScreen from './network/NetworkScreen.svelte';
import ReportsScreen from './reports/ReportsScreen.svelte';
import ResultsScreen from './results/ResultsScreen.svelte';
import SplitsScreen from './splits/SplitsScreen.svelte';
import TrainingScreen from './training/TrainingScreen.svelte';
import ViewerScreen from './viewer/ViewerScreen.svelte';

export const screenComponents: Record<RouteId, Component> = {
  library: LibraryScreen,
  viewer: ViewerScreen,
  curation: CurationScreen,
  splits: SplitsScreen,
  training: TrainingScreen,
  results: ResultsScreen,
  reports: ReportsScreen,
  network: NetworkScreen,
};
