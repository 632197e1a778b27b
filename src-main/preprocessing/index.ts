// The one versioned input transform training and inference share (VOI to 8 bit, pad to square, resize), in a folder
// of its own so both import it without importing each other.
export { padToSquare, PREPROCESSING_VERSION, type PreprocessingSpec, preprocessingSpec, preprocessPatch, resizeSquare, toEightBit } from './patch-preprocessing.ts';
