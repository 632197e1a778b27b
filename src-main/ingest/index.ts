// Import into the catalog (DICOM files, PNG patches, folders, in a worker) and reading back what was imported.
// Only what other folders use is exported here.
export { upsertLabel } from './catalog-writes.ts';
export type { ImportCounts } from './folder-import.ts';
export { ingestHandlers } from './ipc.ts';
export { frameToGrey } from './render.ts';
export { IngestService } from './service.ts';
export { patchViewerFrame, type ViewerFrame } from './viewer-frame.ts';
