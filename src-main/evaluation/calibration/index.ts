// Calibrated probabilities: temperature scaling fitted on validation, reliability diagrams and expected calibration
// error, and operating points for a stated sensitivity beside Youden's.
export { calibratedProbability, fitTemperature, logitOf, meanNll, sigmoid, type TemperatureFit } from './temperature.ts';
export { reliability, RELIABILITY_BINS, type Reliability, type ReliabilityBin } from './reliability.ts';
export { calibrate, calibrationReport, TRIAGE_SENSITIVITY, type CalibrationReport, type OperatingPointRow } from './calibration-report.ts';
export { runCalibrationSummary, type RunCalibrationSummary, type RunOperatingPoint, type StoredCalibration } from './run-summary.ts';
