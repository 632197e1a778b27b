// The benchmark suites, in run order. A suite lands here when its capability does (see each issue's Speed section).
import type { Suite } from './types.ts';

export interface SuiteEntry {
  id: string;
  load: () => Promise<Suite>;
}

export const suites: SuiteEntry[] = [
  { id: 'simulator', load: async () => (await import('./suites/simulator.ts')).simulatorSuite },
  { id: 'dicom', load: async () => (await import('./suites/dicom.ts')).dicomSuite },
  { id: 'import', load: async () => (await import('./suites/import.ts')).importSuite },
  { id: 'network', load: async () => (await import('./suites/network.ts')).networkSuite },
];
