// What the network and media layers need from ingest: hand over one complete DICOM file, learn what became of it.
// The receiver and the media importer depend on this function type only; the app wires it to ingest's import path.

export interface IngestOrigin {
  source: 'network' | 'media';
  /** The transfers-log row this file belongs to. */
  transferId: string;
  /** The sending AE (network) or the media's file-set id (media), for the import log's folder name. */
  label: string;
}

export interface IngestOutcome {
  /** 'rejected' covers unreadable, undecodable and unsupported objects; `reason` says which. */
  status: 'imported' | 'duplicate' | 'rejected';
  reason?: string;
  message?: string;
}

/** Imports one complete file (de-identification, dedupe, audit happen inside); never sees partial files. */
export type IngestFile = (path: string, origin: IngestOrigin) => Promise<IngestOutcome>;
