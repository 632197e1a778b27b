// Exports of a study or an experiment: PDF, DICOM SR and Secondary Capture, CSV, model card and findings.
// Only what other folders use is exported here.
export { experimentPdf } from './experiment-pdf.ts';
export { calibratedRunOf, calibrationFigureSpec } from './calibration-section.ts';
export { shiftedRunOf, shiftFigureSpec } from './robustness-section.ts';
export { type ExperimentRecord, ExperimentRecordSchema } from './experiment.ts';
export { reportsHandlers } from './ipc.ts';
export { predictionsCsv } from './predictions-csv.ts';
export { ReportsService } from './service.ts';
