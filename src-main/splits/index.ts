export { buildPatientSplit, SPLIT_NAMES, type PatientSplit, type SplitItem, type SplitName, type SplitRatios } from './patient-split.ts';
export { findLeaks, leakFixes, type AssignedItem, type Leak } from './leakage.ts';
export { cohensKappa, fleissKappa, disagreements, type ReaderLabel } from './agreement.ts';
export { seededRandom, shuffleInPlace } from '../random/seeded-random.ts';
