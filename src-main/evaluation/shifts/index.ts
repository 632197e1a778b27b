// Synthetic acquisition shifts of 8-bit grey patches (grey-level curves, blur, noise, rescaling, JPEG), implemented
// once for evaluation and for training-time augmentation.
export { allShifts, applyShift, SHIFT_FAMILIES, SHIFT_SEVERITIES, shiftLabel, type GreyPatch, type Shift, type ShiftFamily } from './catalogue.ts';
export { applyTable, contrastTable, gammaTable, logDetectorTable, sigmoidDetectorTable } from './grey-levels.ts';
export { addNoise, bilinearResize, gaussianBlur, gaussianKernel, gaussianNoise, rescaleDownUp } from './spatial.ts';
export { jpegRecompress, quantisationTable } from './jpeg-recompression.ts';
