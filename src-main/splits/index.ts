export { buildPatientSplit, SPLIT_NAMES, type PatientSplit, type SplitItem, type SplitName, type SplitRatios } from './patient-split.ts';
export { findLeaks, leakFixes, type AssignedItem, type Leak } from './leakage.ts';
export { seededRandom, shuffleInPlace } from '../random/index.ts';
