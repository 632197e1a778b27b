// Our side as a service user: C-ECHO, study-level C-FIND, C-MOVE, C-GET and C-STORE against a peer, each one
// association driven by dcmjs-dimse, bounded in time, cancellable (C-CANCEL, then A-ABORT), with typed errors.
import type { Pacs, StudyMatch, StudyQuery } from '../../src-preload/channels/network.ts';
import { AppError } from '../ipc/index.ts';
import { ACCEPTED_STORAGE_CLASSES, isAcceptedStorageClass } from './acceptance.ts';
import {
  CEchoRequest,
  CFindRequest,
  CGetRequest,
  CMoveRequest,
  CStoreRequest,
  CStoreResponse,
  Client,
  Dataset,
  DimseStatus,
  type DimseAssociation,
  type DimseClient,
  type DimseDataset,
  type DimsePresentationContext,
  type DimseRequest,
  type DimseResponse,
  type DimseStoreRequest,
  type DimseStoreResponse,
} from './dimse.ts';
import { completeIncoming, discardIncoming, openIncomingFile, refusedIncoming, whenWritten, type IncomingFile } from './incoming-file.ts';

export interface ScuOptions {
  callingAeTitle: string;
  /** Longest wait for the connection, the association and each PDU. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Waits after C-CANCEL for the peer's final response before aborting the association outright. */
const CANCEL_GRACE_MS = 3_000;

const STATUS_TEXT: Record<number, string> = {
  0xa700: 'out of resources',
  0xa701: 'out of resources (unable to calculate number of matches)',
  0xa702: 'out of resources (unable to perform sub-operations)',
  0xa801: 'move destination unknown',
  0xa900: 'data set does not match SOP class',
  0xc000: 'unable to process',
  0x0122: 'SOP class not supported',
  0x0110: 'processing failure',
  0xb000: 'sub-operations completed with failures',
  0xfe00: 'cancelled',
};

export function describeStatus(status: number): string {
  return `0x${status.toString(16).padStart(4, '0')}${STATUS_TEXT[status] ? ` (${STATUS_TEXT[status]})` : ''}`;
}

function where(peer: Pacs): string {
  return `${peer.aeTitle} at ${peer.host}:${peer.port}`;
}

interface NetworkInternals {
  socket?: { destroy(): void };
  sendAssociationRequest(association: DimseAssociation): void;
  createStoreWritableStream(context: DimsePresentationContext, request: DimseStoreRequest): NodeJS.WritableStream;
  createDatasetFromStoreWritableStream(writable: NodeJS.WritableStream, context: DimsePresentationContext, callback: (dataset: DimseDataset) => void): void;
}

/** dcmjs-dimse creates the protocol machine inside send(); a few hooks need it (documented extension points). */
function networkOf(client: DimseClient): NetworkInternals | undefined {
  return (client as unknown as { network?: NetworkInternals }).network;
}

/**
 * Opens one association, sends `requests`, and resolves when the association has been released. Rejection,
 * unreachable peers, timeouts and cancellation become AppErrors; `prepare` may add hooks before any byte is sent.
 */
export function runAssociation(
  peer: Pacs,
  options: ScuOptions,
  requests: DimseRequest[],
  prepare?: (client: DimseClient) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new AppError('network-cancelled', 'Cancelled before connecting.'));
      return;
    }
    const client = new Client();
    for (const request of requests) client.addRequest(request);
    let settled = false;
    let accepted = false;
    let failure: AppError | null = null;
    let cancelTimer: NodeJS.Timeout | undefined;
    const finish = (error: AppError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(cancelTimer);
      clearTimeout(hardStop);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    const destroy = (): void => networkOf(client)?.socket?.destroy();
    const onAbort = (): void => {
      failure = new AppError('network-cancelled', `Cancelled; the association with ${where(peer)} was ended.`);
      if (!accepted) {
        destroy();
        return;
      }
      for (const request of requests) {
        if (request instanceof CFindRequest || request instanceof CMoveRequest || request instanceof CGetRequest) {
          try {
            client.cancel(request);
          } catch {
            // association already gone
          }
        }
      }
      cancelTimer = setTimeout(() => {
        try {
          client.abort();
        } catch {
          // already closed
        }
        destroy();
      }, CANCEL_GRACE_MS);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // A last resort beyond the library's own timers: nothing here waits forever.
    const hardStop = setTimeout(() => {
      failure ??= new AppError('network-timeout', `${where(peer)} stopped answering; the association was ended after waiting ${Math.round(options.timeoutMs / 1000)} s per step.`);
      destroy();
      finish(failure);
    }, Math.max(options.timeoutMs * 20, 60_000));
    hardStop.unref();

    client.on('associationAccepted', () => {
      accepted = true;
    });
    client.on('associationRejected', (rejection: { result: number; source: number; reason: number }) => {
      failure = new AppError(
        'network-association-rejected',
        `${where(peer)} rejected the association (result ${rejection.result}, source ${rejection.source}, reason ${rejection.reason}). Check that it knows our AE title ${options.callingAeTitle} and that its AE title is right.`,
        rejection,
      );
    });
    client.on('networkError', (error: Error) => {
      const message = error.message;
      const code = /timeout/i.test(message) ? 'network-timeout' : /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH/.test(message) ? 'network-unreachable' : 'network-protocol-error';
      failure ??= new AppError(
        code,
        code === 'network-unreachable'
          ? `Cannot reach ${where(peer)}: ${message}. Check the address, the port and that the peer is running.`
          : `The association with ${where(peer)} failed: ${message}.`,
      );
      destroy();
    });
    client.on('closed', () => finish(failure ?? (accepted ? null : new AppError('network-protocol-error', `${where(peer)} closed the connection before accepting the association.`))));
    client.send(peer.host, peer.port, options.callingAeTitle, peer.aeTitle, {
      connectTimeout: options.timeoutMs,
      associationTimeout: options.timeoutMs,
      pduTimeout: options.timeoutMs,
    });
    prepare?.(client);
  });
}

/** Collects a request's responses; a request the peer never answered (no accepted context) is an error. */
function responsesOf(request: DimseRequest): DimseResponse[] {
  const responses: DimseResponse[] = [];
  request.on('response', (response: DimseResponse) => responses.push(response));
  return responses;
}

function finalStatus(responses: DimseResponse[], peer: Pacs, what: string): number {
  const last = responses.at(-1);
  if (!last) {
    throw new AppError('network-no-context', `${where(peer)} accepted the association but not ${what}; it may not offer that service to us.`);
  }
  return last.getStatus();
}

export async function echo(peer: Pacs, options: ScuOptions): Promise<number> {
  const started = performance.now();
  const request = new CEchoRequest();
  const responses = responsesOf(request);
  await runAssociation(peer, options, [request]);
  const status = finalStatus(responses, peer, 'verification (C-ECHO)');
  if (status !== DimseStatus.success) throw new AppError('network-echo-failed', `${where(peer)} answered C-ECHO with status ${describeStatus(status)}.`);
  return performance.now() - started;
}

function textOf(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (Array.isArray(value)) return value.length === 0 ? null : value.map((v) => textOf(v) ?? '').join('\\');
  if (typeof value === 'object') {
    const name = value as { Alphabetic?: string };
    return name.Alphabetic ?? null;
  }
  return String(value).trim() || null;
}

function intOf(value: unknown): number | null {
  const n = Number.parseInt(textOf(value) ?? '', 10);
  return Number.isFinite(n) ? n : null;
}

export function studyMatchFrom(elements: Record<string, unknown>): StudyMatch | null {
  const studyInstanceUid = textOf(elements.StudyInstanceUID);
  if (!studyInstanceUid) return null;
  return {
    studyInstanceUid,
    patientId: textOf(elements.PatientID),
    patientName: textOf(elements.PatientName),
    studyDate: textOf(elements.StudyDate),
    studyDescription: textOf(elements.StudyDescription),
    accessionNumber: textOf(elements.AccessionNumber),
    modalities: (textOf(elements.ModalitiesInStudy) ?? '').split('\\').filter(Boolean),
    seriesCount: intOf(elements.NumberOfStudyRelatedSeries),
    instanceCount: intOf(elements.NumberOfStudyRelatedInstances),
  };
}

/** Study-level C-FIND (Study Root); each match is handed to `onMatch` as it arrives. */
export async function findStudies(peer: Pacs, query: StudyQuery, options: ScuOptions, onMatch: (study: StudyMatch) => void): Promise<StudyMatch[]> {
  const keys: Record<string, string> = {};
  if (query.patientId) keys.PatientID = query.patientId;
  if (query.patientName) keys.PatientName = query.patientName;
  if (query.accessionNumber) keys.AccessionNumber = query.accessionNumber;
  if (query.studyDate) keys.StudyDate = query.studyDate;
  if (query.modality) keys.ModalitiesInStudy = query.modality;
  if (query.studyInstanceUid) keys.StudyInstanceUID = query.studyInstanceUid;
  const request = CFindRequest.createStudyFindRequest(keys);
  const matches: StudyMatch[] = [];
  const responses = responsesOf(request);
  request.on('response', (response: DimseResponse & { hasDataset(): boolean; getDataset(): DimseDataset | undefined }) => {
    if (response.getStatus() !== DimseStatus.pending && response.getStatus() !== 0xff01) return;
    const elements = response.getDataset()?.getElements();
    const match = elements ? studyMatchFrom(elements) : null;
    if (match) {
      matches.push(match);
      onMatch(match);
    }
  });
  await runAssociation(peer, options, [request]);
  const status = finalStatus(responses, peer, 'study queries (C-FIND)');
  if (status === DimseStatus.cancel) throw new AppError('network-cancelled', `The query was cancelled after ${matches.length} matches.`);
  if (status !== DimseStatus.success) throw new AppError('network-find-failed', `${where(peer)} answered the query with status ${describeStatus(status)}.`);
  return matches;
}

export interface RetrieveProgress {
  completed: number;
  failed: number;
  warnings: number;
  remaining: number | null;
}

interface SubOperationCounts {
  getRemaining(): number;
  getCompleted(): number;
  getFailures(): number;
  getWarnings(): number;
}

function countsOf(response: DimseResponse): RetrieveProgress {
  const counts = response as unknown as SubOperationCounts;
  return {
    completed: counts.getCompleted() ?? 0,
    failed: counts.getFailures() ?? 0,
    warnings: counts.getWarnings() ?? 0,
    remaining: counts.getRemaining() ?? null,
  };
}

function retrieveResult(responses: DimseResponse[], peer: Pacs, what: string): RetrieveProgress {
  const status = finalStatus(responses, peer, what);
  const counts = countsOf(responses.at(-1) as DimseResponse);
  if (status === DimseStatus.cancel) throw new AppError('network-cancelled', `The retrieve was cancelled after ${counts.completed} instances.`, counts);
  if (status === 0xa801) {
    throw new AppError('network-move-destination-unknown', `${where(peer)} does not know where to send the study: add our AE title with this machine's address and receiver port to the PACS configuration.`, counts);
  }
  if (status !== DimseStatus.success && status !== 0xb000) {
    throw new AppError('network-retrieve-failed', `${where(peer)} answered the retrieve with status ${describeStatus(status)}.`, counts);
  }
  return counts;
}

/** C-MOVE of one study to `destinationAeTitle` (our receiver, which ingests what arrives). */
export async function moveStudy(peer: Pacs, studyInstanceUid: string, destinationAeTitle: string, options: ScuOptions, onProgress: (p: RetrieveProgress) => void): Promise<RetrieveProgress> {
  const request = CMoveRequest.createStudyMoveRequest(destinationAeTitle, studyInstanceUid);
  const responses = responsesOf(request);
  request.on('response', (response: DimseResponse) => {
    if (response.getStatus() === DimseStatus.pending) onProgress(countsOf(response));
  });
  await runAssociation(peer, options, [request]);
  return retrieveResult(responses, peer, 'retrieval (C-MOVE)');
}

const UNCOMPRESSED = ['1.2.840.10008.1.2.1', '1.2.840.10008.1.2'];

/**
 * C-GET of one study: the peer's C-STORE sub-operations arrive on this association. We propose the SCP role for the
 * classes we accept, uncompressed for all of them and each compressed syntax we read for images, so nothing is
 * transcoded on the way; every instance is written to disk as received and handed to `store`.
 */
export async function getStudy(
  peer: Pacs,
  studyInstanceUid: string,
  incomingDir: string,
  options: ScuOptions,
  store: (path: string) => Promise<boolean>,
  compressedSyntaxes: readonly string[],
  onProgress: (p: RetrieveProgress) => void,
): Promise<RetrieveProgress> {
  const request = CGetRequest.createStudyGetRequest(studyInstanceUid);
  // Our own storage contexts below replace the library's (every storage class, uncompressed only).
  request.setAddStorageSopClassesToAssociation(false);
  const responses = responsesOf(request);
  request.on('response', (response: DimseResponse) => {
    if (response.getStatus() === DimseStatus.pending) onProgress(countsOf(response));
  });
  const pending: Promise<unknown>[] = [];
  await runAssociation(peer, options, [request], (client) => {
    const network = networkOf(client);
    if (!network) throw new Error('dcmjs-dimse did not create its network before connecting');
    const propose = network.sendAssociationRequest.bind(network);
    network.sendAssociationRequest = (association) => {
      const images = [...ACCEPTED_STORAGE_CLASSES.keys()].filter((uid) => !uid.startsWith('1.2.840.10008.5.1.4.1.1.88.'));
      const add = (sopClass: string, syntaxes: readonly string[]): void => {
        const id = association.addPresentationContext(sopClass);
        for (const ts of syntaxes) association.addTransferSyntaxToPresentationContext(id, ts);
        const context = association.getPresentationContext(id);
        context.setUserRole(false);
        context.setProviderRole(true);
      };
      for (const sopClass of ACCEPTED_STORAGE_CLASSES.keys()) add(sopClass, UNCOMPRESSED);
      // At most 128 contexts per association: the compressed ones go to the classes angiography uses most.
      for (const sopClass of images.slice(0, 6)) for (const ts of compressedSyntaxes) add(sopClass, [ts]);
      propose(association);
    };
    const files = new WeakMap<object, IncomingFile>();
    let current: IncomingFile | null = null;
    network.createStoreWritableStream = (context, storeRequest) => {
      const sopClassUid = storeRequest.getAffectedSopClassUid();
      current = isAcceptedStorageClass(sopClassUid)
        ? openIncomingFile(incomingDir, { sopClassUid, sopInstanceUid: storeRequest.getAffectedSopInstanceUid(), transferSyntaxUid: context.getAcceptedTransferSyntaxUid() ?? '', sourceAeTitle: peer.aeTitle })
        : refusedIncoming(`SOP class ${sopClassUid} is not accepted`);
      files.set(storeRequest, current);
      return current.stream as unknown as NodeJS.WritableStream;
    };
    network.createDatasetFromStoreWritableStream = (writable, _context, callback) => {
      whenWritten(current, writable as unknown as import('node:stream').Writable, () => callback(new Dataset()));
    };
    client.on('cStoreRequest', (storeRequest: DimseStoreRequest, callback: (response: DimseStoreResponse) => void) => {
      const entry = files.get(storeRequest);
      const respond = (status: number): void => {
        const response = CStoreResponse.fromRequest(storeRequest);
        response.setStatus(status);
        callback(response);
      };
      if (!entry || entry.refused) {
        if (entry) discardIncoming(entry);
        respond(DimseStatus.refusedSopClassNotSupported);
        return;
      }
      const work = (async () => {
        try {
          const { path } = completeIncoming(entry);
          respond((await store(path)) ? DimseStatus.success : DimseStatus.errorCannotUnderstand);
        } catch {
          respond(DimseStatus.processingFailure);
        } finally {
          discardIncoming(entry);
        }
      })();
      pending.push(work);
    });
    client.on('closed', () => {
      if (current && !current.complete) discardIncoming(current);
    });
  });
  await Promise.all(pending);
  return retrieveResult(responses, peer, 'retrieval (C-GET)');
}

/** C-STORE of files to the peer; resolves with each file's status (the association ends once all are sent). */
export async function storeFiles(peer: Pacs, files: { path: string; transferSyntaxUid: string }[], options: ScuOptions, onStored: (path: string, status: number) => void): Promise<Map<string, number>> {
  const statuses = new Map<string, number>();
  const requests = files.map(({ path, transferSyntaxUid }) => {
    const request = new CStoreRequest(path);
    // Propose the file's own syntax too, so it travels as it is (no transcoding by the library).
    if (!UNCOMPRESSED.includes(transferSyntaxUid)) request.setAdditionalTransferSyntaxes([transferSyntaxUid]);
    request.on('response', (response: DimseResponse) => {
      statuses.set(path, response.getStatus());
      onStored(path, response.getStatus());
    });
    return request;
  });
  await runAssociation(peer, options, requests);
  for (const { path } of files) {
    if (!statuses.has(path)) {
      statuses.set(path, DimseStatus.refusedSopClassNotSupported);
      onStored(path, DimseStatus.refusedSopClassNotSupported);
    }
  }
  return statuses;
}
