// The dataset capability: readers, labels, agreement, curation rows, versioned patient-level splits, the folder a
// run trains on, model scores and results. The service is the public surface; ipc.ts wires it to the channels.
export { DatasetService, type DatasetDeps, type LabelChange } from './service.ts';
export { CURATION_LABELS, type CurationLabel } from './label-actions.ts';
export { uncertaintyOf, type CurationFilter, type CurationRow } from './curation-query.ts';
export type { SplitDetail, SplitSummary } from './split-versions.ts';
export { datasetHandlers } from './ipc.ts';
