// The benchmark suites, in run order: one per capability with a speed target, each against its reference tool.
import type { Suite } from './types.ts';

export interface SuiteEntry {
  id: string;
  load: () => Promise<Suite>;
  /** Runs only when named on the command line (long, measured once). */
  onlyWhenNamed?: boolean;
}

export const suites: SuiteEntry[] = [
  { id: 'simulator', load: async () => (await import('./suites/simulator.ts')).simulatorSuite },
  { id: 'dicom', load: async () => (await import('./suites/dicom.ts')).dicomSuite },
  { id: 'import', load: async () => (await import('./suites/import.ts')).importSuite },
  { id: 'network', load: async () => (await import('./suites/network.ts')).networkSuite },
  { id: 'inference', load: async () => (await import('./suites/inference.ts')).inferenceSuite },
  { id: 'training', load: async () => (await import('./suites/training.ts')).trainingSuite },
  { id: 'scaling', load: async () => (await import('./suites/scaling.ts')).scalingSuite },
  { id: 'qca', load: async () => (await import('./suites/qca.ts')).qcaSuite },
  { id: 'demo', load: async () => (await import('./suites/demo.ts')).demoSuite, onlyWhenNamed: true },
];
