// DICOM media (DICOMDIR) import and DICOM networking: receiver, echo, query/retrieve from the PACS, sending reports,
// the settings panel and the transfers list. Long work (imports, queries, retrieves, sends) runs as jobs (job.*).
import { z } from 'zod';
import { Empty, JobId } from '../contract-base.ts';

/** DICOM AE title: 1–16 characters of the default repertoire, no backslash or control characters (PS3.5 6.2). */
export const AeTitle = z
  .string()
  .trim()
  .min(1)
  .max(16)
  .regex(/^[\x20-\x5b\x5d-\x7e]+$/, 'AE titles use printable ASCII without backslash');
export const Port = z.number().int().min(1).max(65_535);
/** An IP literal or host name; the receiver binds to an IP literal only (checked by the service). */
export const Host = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or IP address');

export const AllowedPeerSchema = z.object({
  aeTitle: AeTitle,
  /** When set, associations from this AE title are accepted only from this address. */
  host: Host.nullable().default(null),
  description: z.string().max(200).default(''),
});
export type AllowedPeer = z.infer<typeof AllowedPeerSchema>;

export const PacsSchema = z.object({ aeTitle: AeTitle, host: Host, port: Port });
export type Pacs = z.infer<typeof PacsSchema>;

export const NetworkSettingsSchema = z.object({
  /** Our AE title: what peers call, what we call ourselves, and the C-MOVE destination. */
  aeTitle: AeTitle,
  /** Where the receiver listens; loopback unless the user chooses another of this machine's addresses. */
  bindAddress: Host,
  port: Port,
  /** Whether the receiver starts with the app (off by default). */
  receiverEnabled: z.boolean(),
  allowedPeers: z.array(AllowedPeerSchema).max(200),
  pacs: PacsSchema.nullable(),
  retrieveMethod: z.enum(['move', 'get']),
  associationTimeoutSeconds: z.number().int().min(1).max(600),
  pduTimeoutSeconds: z.number().int().min(1).max(3_600),
});
export type NetworkSettings = z.infer<typeof NetworkSettingsSchema>;
export const NetworkSettingsPatchSchema = NetworkSettingsSchema.partial().strict();
export type NetworkSettingsPatch = z.infer<typeof NetworkSettingsPatchSchema>;

export const ReceiverStatusSchema = z.object({
  running: z.boolean(),
  aeTitle: z.string(),
  bindAddress: z.string(),
  /** The port actually bound (differs from the setting only when the setting is 0, as in tests). */
  port: z.number().int().nullable(),
  since: z.string().nullable(),
  activeAssociations: z.number().int().nonnegative(),
  received: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
});
export type ReceiverStatus = z.infer<typeof ReceiverStatusSchema>;

export const TransferSchema = z.object({
  id: z.string(),
  direction: z.enum(['incoming', 'outgoing']),
  kind: z.enum(['receive', 'media', 'query', 'retrieve', 'send']),
  peerAeTitle: z.string().nullable(),
  peerHost: z.string().nullable(),
  status: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'rejected']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Instances (or query matches) handled so far, those that failed, and the expected total when known. */
  done: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
  bytes: z.number().nonnegative(),
  errorCode: z.string().nullable(),
  message: z.string().nullable(),
  jobId: z.string().nullable(),
});
export type Transfer = z.infer<typeof TransferSchema>;

export const StudyQuerySchema = z
  .object({
    patientId: z.string().max(64).optional(),
    patientName: z.string().max(64).optional(),
    accessionNumber: z.string().max(16).optional(),
    /** YYYYMMDD or a YYYYMMDD-YYYYMMDD range, as DICOM matches dates. */
    studyDate: z.string().regex(/^(\d{8})?(-(\d{8})?)?$/).optional(),
    modality: z.string().max(16).optional(),
    studyInstanceUid: z.string().max(64).optional(),
  })
  .strict();
export type StudyQuery = z.infer<typeof StudyQuerySchema>;

export const StudyMatchSchema = z.object({
  studyInstanceUid: z.string(),
  patientId: z.string().nullable(),
  patientName: z.string().nullable(),
  studyDate: z.string().nullable(),
  studyDescription: z.string().nullable(),
  accessionNumber: z.string().nullable(),
  modalities: z.array(z.string()),
  seriesCount: z.number().int().nullable(),
  instanceCount: z.number().int().nullable(),
});
export type StudyMatch = z.infer<typeof StudyMatchSchema>;

export const MediaInstanceSchema = z.object({
  key: z.string(),
  /** The Referenced File ID as written in the DICOMDIR, joined with '/'. */
  fileId: z.string(),
  /** The file found on the media (case and ISO 9660 suffixes tolerated), or null when it is missing. */
  path: z.string().nullable(),
  recordType: z.string(),
  sopClassUid: z.string().nullable(),
  sopInstanceUid: z.string().nullable(),
  transferSyntaxUid: z.string().nullable(),
  instanceNumber: z.number().int().nullable(),
});
export const MediaSeriesSchema = z.object({
  key: z.string(),
  seriesInstanceUid: z.string().nullable(),
  modality: z.string().nullable(),
  seriesNumber: z.number().int().nullable(),
  description: z.string().nullable(),
  instances: z.array(MediaInstanceSchema),
});
export const MediaStudySchema = z.object({
  key: z.string(),
  studyInstanceUid: z.string().nullable(),
  studyDate: z.string().nullable(),
  description: z.string().nullable(),
  accessionNumber: z.string().nullable(),
  series: z.array(MediaSeriesSchema),
});
export const MediaPatientSchema = z.object({
  key: z.string(),
  patientId: z.string().nullable(),
  patientName: z.string().nullable(),
  studies: z.array(MediaStudySchema),
});
export const MediaContentsSchema = z.object({
  root: z.string(),
  dicomdirPath: z.string(),
  fileSetId: z.string().nullable(),
  patients: z.array(MediaPatientSchema),
  instanceCount: z.number().int(),
  missingCount: z.number().int(),
  /** What a tolerant read had to work around (records without parents, unresolvable offsets, …). */
  warnings: z.array(z.string()),
});
export type MediaContents = z.infer<typeof MediaContentsSchema>;
export type MediaPatient = z.infer<typeof MediaPatientSchema>;
export type MediaStudy = z.infer<typeof MediaStudySchema>;
export type MediaSeries = z.infer<typeof MediaSeriesSchema>;
export type MediaInstance = z.infer<typeof MediaInstanceSchema>;

/** All of the media, or the records (patients, studies, series or instances, by key) the user ticked. */
export const MediaSelectionSchema = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z.object({ keys: z.array(z.string().max(64)).min(1).max(100_000) }).strict(),
]);
export type MediaSelection = z.infer<typeof MediaSelectionSchema>;

/** What one file of an import (media, retrieve) came to; the job result lists the failures. */
export const FileOutcomeSchema = z.object({
  file: z.string(),
  status: z.enum(['imported', 'duplicate', 'rejected', 'missing', 'unreadable']),
  reason: z.string().optional(),
});
export const MediaImportResultSchema = z.object({
  transferId: z.string(),
  imported: z.number().int(),
  duplicates: z.number().int(),
  problems: z.array(FileOutcomeSchema),
});
export type MediaImportResult = z.infer<typeof MediaImportResultSchema>;

const EchoTarget = z.union([z.object({ pacs: z.literal(true) }).strict(), PacsSchema.strict()]);

export const networkInvokes = {
  'media.scan': { input: z.object({ path: z.string().min(1).max(4_096) }).strict(), output: MediaContentsSchema },
  'media.import': {
    input: z.object({ path: z.string().min(1).max(4_096), selection: MediaSelectionSchema }).strict(),
    output: z.object({ jobId: JobId, transferId: z.string() }),
  },
  'network.settings.get': { input: Empty, output: NetworkSettingsSchema },
  'network.settings.update': { input: NetworkSettingsPatchSchema, output: NetworkSettingsSchema },
  'network.receiver.status': { input: Empty, output: ReceiverStatusSchema },
  'network.receiver.start': { input: Empty, output: ReceiverStatusSchema },
  'network.receiver.stop': { input: Empty, output: ReceiverStatusSchema },
  'network.echo': { input: EchoTarget, output: z.object({ milliseconds: z.number() }) },
  'network.query.start': { input: StudyQuerySchema, output: z.object({ jobId: JobId, transferId: z.string() }) },
  'network.retrieve.start': {
    input: z
      .object({
        studyInstanceUids: z.array(z.string().min(1).max(64)).min(1).max(500),
        method: z.enum(['move', 'get']).optional(),
      })
      .strict(),
    output: z.object({ jobId: JobId, transferId: z.string() }),
  },
  'network.send.start': {
    input: z.object({ files: z.array(z.string().min(1).max(4_096)).min(1).max(10_000) }).strict(),
    output: z.object({ jobId: JobId, transferId: z.string() }),
  },
  'network.transfers.list': {
    input: z
      .object({
        limit: z.number().int().min(1).max(1_000).default(200),
        direction: z.enum(['incoming', 'outgoing']).optional(),
      })
      .strict(),
    output: z.object({ transfers: z.array(TransferSchema) }),
  },
} as const;

export const networkSends = {} as const;

export const networkEvents = {
  /** A transfer was created or changed: the transfers list replaces the row with this id. */
  'network.transfer': TransferSchema,
  /** The receiver started, stopped, or its counters moved. */
  'network.receiver': ReceiverStatusSchema,
  /** One C-FIND match, streamed while a query job runs (the job's result repeats them all). */
  'network.queryMatch': z.object({ jobId: JobId, study: StudyMatchSchema }),
} as const;

export const networkPixels = {} as const;
