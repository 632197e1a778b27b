// Quantitative coronary analysis: a calibrated diameter profile, MLD, reference, % diameter and area stenosis and
// lesion length between two points on a frame; calibration; the suggested end-diastolic frame to measure on.
export { measureSegment, calibrateOnCatheter, catheterDiameterPx, type SegmentRequest } from './measure.ts';
export { withMovedEdges, measurementOf, type QcaMeasurement, type ProfileSample, type EdgeMove, type FigureOptions } from './measurement.ts';
export { isocenterCalibration, catheterCalibration, manualCalibration, frenchToMm, UNCALIBRATED, type Calibration, type CalibrationMethod } from './calibration.ts';
export { readQcaFrame, type QcaFrame } from './frame-source.ts';
export { type SegmentTrace } from './trace.ts';
export { type FloatImage, type Point } from './image.ts';
export { suggestEndDiastolicFrame, ecgEndDiastolicFrames, imageEndDiastolicFrame, rPeaks, type EndDiastoleSuggestion, type EndDiastoleBasis } from './end-diastole.ts';
export { measurementPicture, diameterCurveSvg, type RgbPicture } from './picture.ts';
export { QcaService, type CalibrationChoice, type MeasureRequest, type SavedMeasurement } from './service.ts';
export { qcaHandlers } from './ipc.ts';
