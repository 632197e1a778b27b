// The one versioned input transform training and inference share (VOI to 8 bit, pad to square, resize; native scale
// and per-image normalisation as recorded options), in a folder of its own so both import it without importing each other.
export {
  fitPatch,
  isKnownPreprocessing,
  padToSquare,
  PREPROCESSING_OPTIONS_VERSION,
  PREPROCESSING_VERSION,
  type PreprocessingOptions,
  type PreprocessingSpec,
  preprocessingSpec,
  preprocessPatch,
  resizeSquare,
  toEightBit,
} from './patch-preprocessing.ts';
export { padIntoCanvas } from './native-scale.ts';
export { stretchPercentiles } from './per-image-stretch.ts';
