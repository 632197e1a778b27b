// Seeded random numbers, so splits, augmentations and fuzzing replay from a seed.
// Only what other folders use is exported here.
export { seededRandom, type SeededRandom, shuffleInPlace } from './seeded-random.ts';
