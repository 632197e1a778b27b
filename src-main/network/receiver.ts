// The DICOM receiver: a C-STORE/C-ECHO SCP on dcmjs-dimse, listening on the address the user chose. Each received
// data set streams to a temporary Part 10 file; only a complete file reaches ingest, and any partial one is deleted.
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { Writable } from 'node:stream';
import type { NetworkSettings, ReceiverStatus } from '../../src-preload/channels/network.ts';
import { AppError } from '../ipc/index.ts';
import { decideContext, isAcceptedStorageClass } from './acceptance.ts';
import {
  CEchoResponse,
  CStoreResponse,
  Dataset,
  DimseStatus,
  PresentationContextResult,
  RejectReason,
  RejectResult,
  RejectSource,
  Scp,
  Status,
  type DimseAssociation,
  type DimseDataset,
  type DimseScp,
  type DimsePresentationContext,
  type DimseStoreRequest,
  type DimseStoreResponse,
} from './dimse.ts';
import type { IngestFile } from './ingest-port.ts';
import { completeIncoming, discardIncoming, openIncomingFile, refusedIncoming, whenWritten, type IncomingFile } from './incoming-file.ts';
import { PduGuard } from './pdu-guard.ts';
import { admitPeer, normalizeAddress } from './peers.ts';
import type { TransferLog } from './transfer-log.ts';

/**
 * What we advertise as our maximum PDU. dcmjs-dimse re-concatenates a PDU for every socket chunk, so PDUs near the
 * socket's chunk size are fastest (measured: 16 KiB beat 64 and 256 KiB on the 96-frame cine); dcmtk uses it too.
 */
export const RECEIVE_MAX_PDU = 16_384;
const MAX_CONTROL_PDU = 1 << 20;
const MAX_ASSOCIATIONS = 16;

export type ReceiverSettings = Pick<
  NetworkSettings,
  'aeTitle' | 'bindAddress' | 'port' | 'allowedPeers' | 'pacs' | 'associationTimeoutSeconds' | 'pduTimeoutSeconds'
> & { /** Milliseconds override for tests; seconds from settings otherwise. */ timeoutsMs?: { association: number; pdu: number } };

export interface ReceiverDeps {
  /** Where partial and complete received files wait for ingest (emptied on start). */
  incomingDir: string;
  ingestFile: IngestFile;
  transfers: TransferLog;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  onStatus?(status: ReceiverStatus): void;
}

/** The C-STORE responses for what ingest decided. */
function ingestStatus(status: 'imported' | 'duplicate' | 'rejected'): number {
  return status === 'rejected' ? DimseStatus.errorCannotUnderstand : DimseStatus.success;
}

/** Maps the library's network errors to stable codes for the transfers log. */
export function classifyNetworkError(message: string): string {
  if (/timeout/i.test(message)) return 'network-timeout';
  if (/PDU|malformed|offset out of range|first PDU|exceeds/i.test(message)) return 'network-malformed-pdu';
  if (/ECONNRESET|EPIPE|closed|disconnect/i.test(message)) return 'network-disconnected';
  return 'network-protocol-error';
}

export class Receiver {
  private readonly deps: ReceiverDeps;
  private server: Server | null = null;
  private settings: ReceiverSettings | null = null;
  private readonly sessions = new Set<AssociationHandler>();
  private boundPort: number | null = null;
  private since: string | null = null;
  private received = 0;
  private rejected = 0;
  private lastError: string | null = null;

  constructor(deps: ReceiverDeps) {
    this.deps = deps;
  }

  get config(): ReceiverSettings | null {
    return this.settings;
  }

  /** Allowed peers and the PACS may change while running; address, port and AE title need a restart. */
  reconfigure(settings: ReceiverSettings): void {
    if (this.settings) this.settings = { ...settings, aeTitle: this.settings.aeTitle, bindAddress: this.settings.bindAddress, port: this.settings.port };
  }

  status(): ReceiverStatus {
    return {
      running: this.server !== null,
      aeTitle: this.settings?.aeTitle ?? '',
      bindAddress: this.settings?.bindAddress ?? '',
      port: this.boundPort,
      since: this.since,
      activeAssociations: this.sessions.size,
      received: this.received,
      rejected: this.rejected,
      lastError: this.lastError,
    };
  }

  async start(settings: ReceiverSettings): Promise<ReceiverStatus> {
    if (this.server) throw new AppError('network-receiver-running', 'The receiver is already running; stop it before starting it again.');
    // Leftovers of a crash are partial or un-ingested files: never import them.
    rmSync(this.deps.incomingDir, { recursive: true, force: true });
    mkdirSync(this.deps.incomingDir, { recursive: true });
    const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
    server.maxConnections = MAX_ASSOCIATIONS;
    await new Promise<void>((resolve, reject) => {
      const failed = (error: NodeJS.ErrnoException): void => {
        const where = `${settings.bindAddress}:${settings.port}`;
        if (error.code === 'EADDRINUSE') reject(new AppError('network-port-in-use', `Port ${settings.port} on ${settings.bindAddress} is taken by another program; choose another port in the network settings.`, { where }));
        else if (error.code === 'EADDRNOTAVAIL') reject(new AppError('network-bind-address', `${settings.bindAddress} is not an address of this machine; choose 127.0.0.1 or one of this machine's addresses.`, { where }));
        else if (error.code === 'EACCES') reject(new AppError('network-port-privileged', `Listening on port ${settings.port} needs administrator rights; use a port above 1023 (11112 is customary).`, { where }));
        else reject(new AppError('network-listen-failed', `The receiver could not listen on ${where}: ${error.message}.`, { where }));
      };
      server.once('error', failed);
      server.listen({ host: settings.bindAddress, port: settings.port, exclusive: true }, () => {
        server.off('error', failed);
        resolve();
      });
    });
    server.on('error', (error) => {
      this.lastError = error.message;
      this.deps.log('error', `DICOM receiver: ${error.message}`);
    });
    // The receiver never keeps a CLI or test process alive on its own.
    server.unref();
    this.server = server;
    this.settings = settings;
    const address = server.address();
    this.boundPort = typeof address === 'object' && address ? address.port : settings.port;
    this.since = new Date().toISOString();
    this.lastError = null;
    this.deps.log('info', `DICOM receiver ${settings.aeTitle} listening on ${settings.bindAddress}:${this.boundPort}`);
    this.announce();
    return this.status();
  }

  async stop(): Promise<ReceiverStatus> {
    const server = this.server;
    if (!server) return this.status();
    this.server = null;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...this.sessions].map((session) => session.shutdown('The receiver was stopped.')));
    await closed;
    rmSync(this.deps.incomingDir, { recursive: true, force: true });
    this.boundPort = null;
    this.since = null;
    this.deps.log('info', 'DICOM receiver stopped');
    this.announce();
    return this.status();
  }

  private accept(socket: Socket): void {
    const settings = this.settings;
    if (!settings || !this.server) {
      socket.destroy();
      return;
    }
    const associationMs = settings.timeoutsMs?.association ?? settings.associationTimeoutSeconds * 1000;
    const pduMs = settings.timeoutsMs?.pdu ?? settings.pduTimeoutSeconds * 1000;
    const handler = new AssociationHandler(socket, { connectTimeout: Math.max(associationMs, pduMs), associationTimeout: associationMs, pduTimeout: pduMs });
    handler.attach(this, socket);
    this.sessions.add(handler);
    this.announce();
  }

  /** Called by a session. */
  settingsNow(): ReceiverSettings {
    if (!this.settings) throw new Error('receiver not configured');
    return this.settings;
  }
  get depsForSessions(): ReceiverDeps {
    return this.deps;
  }
  sessionEnded(session: AssociationHandler): void {
    this.sessions.delete(session);
    this.announce();
  }
  countReceived(): void {
    this.received++;
    this.announce();
  }
  countRejected(reason: string): void {
    this.rejected++;
    this.lastError = reason;
    this.announce();
  }
  private announce(): void {
    this.deps.onStatus?.(this.status());
  }
}

/** One association on the receiver (dcmjs-dimse creates the protocol machine; we decide and store). */
class AssociationHandler extends Scp {
  private receiver: Receiver | null = null;
  private sock: Socket | null = null;
  // Data PDUs may exceed what we advertised with sloppy senders; the guard is about memory, not etiquette.
  private guard = new PduGuard({ maxDataPdu: 4 << 20, maxControlPdu: MAX_CONTROL_PDU });
  private readonly incoming = new WeakMap<object, IncomingFile>();
  private current: IncomingFile | null = null;
  private transferId: string | null = null;
  private peerAe = '';
  private done = 0;
  private failed = 0;
  private bytes = 0;
  private released = false;
  /** Abstract syntaxes refused at negotiation, reported when the sender then gives up without storing anything. */
  private refusedClasses: string[] = [];
  private acceptedStorageContexts = 0;
  private ended = false;
  private closedPromise: Promise<void> | null = null;
  private pendingIngest: Promise<unknown> = Promise.resolve();

  attach(receiver: Receiver, socket: Socket): void {
    this.receiver = receiver;
    this.sock = socket;
    // dcmjs-dimse only measures association time from 'connect', which server-side sockets never emit.
    Object.assign(this, { connected: true, connectedTime: Date.now() });
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => {
      const problem = this.guard.feed(chunk);
      if (problem) this.fail('network-malformed-pdu', `Malformed DICOM traffic from ${this.where()}: ${problem}.`, true);
    });
    this.on('networkError', (error: Error) => this.fail(classifyNetworkError(error.message), `${error.message} (${this.where()})`, true));
    this.on('close', () => this.closed());
  }

  private get deps(): ReceiverDeps {
    return (this.receiver as Receiver).depsForSessions;
  }

  private where(): string {
    const socket = this.sock;
    return `${this.peerAe || 'unknown AE'} at ${normalizeAddress(socket?.remoteAddress)}:${socket?.remotePort ?? '?'}`;
  }

  override associationRequested(association: DimseAssociation): void {
    const settings = (this.receiver as Receiver).settingsNow();
    const call = {
      callingAeTitle: association.getCallingAeTitle(),
      calledAeTitle: association.getCalledAeTitle(),
      remoteAddress: this.sock?.remoteAddress,
    };
    this.peerAe = call.callingAeTitle.trim();
    const decision = admitPeer(settings, call);
    if (!decision.allowed) {
      const reason =
        decision.reason === 'called-ae'
          ? `called AE title "${call.calledAeTitle.trim()}" is not ours (${settings.aeTitle})`
          : decision.reason === 'calling-ae'
            ? `AE title "${this.peerAe}" is not on the allowed peers list`
            : `AE title "${this.peerAe}" is allowed only from another address`;
      this.sendAssociationReject(
        RejectResult.Permanent,
        RejectSource.ServiceUser,
        decision.reason === 'called-ae' ? RejectReason.CalledAeNotRecognized : RejectReason.CallingAeNotRecognized,
      );
      this.deps.transfers.begin({
        direction: 'incoming',
        kind: 'receive',
        peerAeTitle: this.peerAe,
        peerHost: normalizeAddress(this.sock?.remoteAddress),
        status: 'rejected',
        errorCode: 'network-peer-rejected',
        message: `Association rejected: ${reason}. Add the peer in the network settings if it should be allowed.`,
      });
      this.deps.log('warn', `DICOM receiver rejected ${this.where()}: ${reason}`);
      (this.receiver as Receiver).countRejected(reason);
      this.ended = true;
      // Let the reject PDU leave before closing.
      this.sock?.end();
      return;
    }
    for (const proposed of association.getPresentationContexts()) {
      const context = association.getPresentationContext(proposed.id);
      const decisionForContext = decideContext(context.getAbstractSyntaxUid(), context.getTransferSyntaxUids());
      if (decisionForContext.accept) {
        context.setResult(PresentationContextResult.Accept, decisionForContext.transferSyntaxUid);
        if (isAcceptedStorageClass(context.getAbstractSyntaxUid())) this.acceptedStorageContexts++;
      } else {
        if (decisionForContext.reason === 'abstract-syntax') this.refusedClasses.push(context.getAbstractSyntaxUid());
        context.setResult(
          decisionForContext.reason === 'abstract-syntax'
            ? PresentationContextResult.RejectAbstractSyntaxNotSupported
            : PresentationContextResult.RejectTransferSyntaxesNotSupported,
        );
      }
    }
    association.setMaxPduLength(RECEIVE_MAX_PDU);
    this.sendAssociationAccept();
  }

  override associationReleaseRequested(): void {
    this.released = true;
    // Answer only after the last instance is ingested, so the sender's view and the store agree.
    void this.pendingIngest.then(() => {
      this.sendAssociationReleaseResponse();
      this.finishTransfer();
    });
  }

  override cEchoRequest(request: Parameters<DimseScp['cEchoRequest']>[0], callback: Parameters<DimseScp['cEchoRequest']>[1]): void {
    const response = CEchoResponse.fromRequest(request);
    response.setStatus(Status.Success);
    callback(response);
  }

  override createStoreWritableStream(context: DimsePresentationContext, request: DimseStoreRequest): Writable {
    const sopClassUid = request.getAffectedSopClassUid();
    const entry =
      !isAcceptedStorageClass(sopClassUid) || context.getAbstractSyntaxUid() !== sopClassUid
        ? refusedIncoming(`SOP class ${sopClassUid} is not accepted`)
        : openIncomingFile(this.deps.incomingDir, {
            sopClassUid,
            sopInstanceUid: request.getAffectedSopInstanceUid(),
            transferSyntaxUid: context.getAcceptedTransferSyntaxUid() ?? '',
            sourceAeTitle: this.peerAe,
          });
    this.current = entry;
    this.incoming.set(request, entry);
    this.ensureTransfer();
    return entry.stream;
  }

  override createDatasetFromStoreWritableStream(writable: Writable, _context: DimsePresentationContext, callback: (dataset: DimseDataset) => void): void {
    // The data set stays on disk; cStoreRequest reads the file, so dcmjs never parses (or re-encodes) the pixels.
    whenWritten(this.current, writable, () => callback(new Dataset()));
  }

  override cStoreRequest(request: DimseStoreRequest, callback: (response: DimseStoreResponse) => void): void {
    const work = this.store(request, callback);
    this.pendingIngest = work;
    void work;
  }

  private async store(request: DimseStoreRequest, callback: (response: DimseStoreResponse) => void): Promise<void> {
    const entry = this.incoming.get(request);
    this.current = null;
    const respond = (status: number, comment?: string): void => {
      const response = CStoreResponse.fromRequest(request);
      response.setStatus(status);
      if (comment) response.setErrorComment(comment.slice(0, 64));
      if (!this.ended) callback(response);
    };
    if (!entry) {
      this.failed++;
      respond(DimseStatus.processingFailure, 'no data set received');
      return;
    }
    if (entry.refused) {
      this.failed++;
      this.deps.log('warn', `DICOM receiver refused an instance from ${this.where()}: ${entry.refused}`);
      this.progress(entry.refused);
      respond(DimseStatus.refusedSopClassNotSupported, 'SOP class not supported');
      return;
    }
    try {
      const { path, bytes } = completeIncoming(entry);
      this.bytes += bytes;
      const outcome = await this.deps.ingestFile(path, { source: 'network', transferId: this.ensureTransfer(), label: this.peerAe });
      if (outcome.status === 'rejected') {
        this.failed++;
        this.progress(`${request.getAffectedSopInstanceUid()}: ${outcome.reason ?? 'rejected'} ${outcome.message ?? ''}`.trim());
      } else {
        this.done++;
        (this.receiver as Receiver).countReceived();
        this.progress();
      }
      respond(ingestStatus(outcome.status), outcome.reason);
    } catch (error) {
      this.failed++;
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log('error', `DICOM receiver could not import an instance from ${this.where()}: ${message}`);
      this.progress(message);
      respond(error instanceof AppError && error.code === 'network-disk' ? DimseStatus.refusedOutOfResources : DimseStatus.processingFailure, 'import failed');
    } finally {
      discardIncoming(entry);
    }
  }

  override abort(): void {
    this.fail('network-peer-aborted', `${this.where()} aborted the association.`, true);
  }

  private ensureTransfer(): string {
    if (!this.transferId) {
      this.transferId = this.deps.transfers.begin({
        direction: 'incoming',
        kind: 'receive',
        peerAeTitle: this.peerAe,
        peerHost: normalizeAddress(this.sock?.remoteAddress),
      }).id;
    }
    return this.transferId;
  }

  private progress(message?: string): void {
    if (!this.transferId) return;
    this.deps.transfers.update(this.transferId, { done: this.done, failed: this.failed, bytes: this.bytes, ...(message ? { message } : {}) });
  }

  private finishTransfer(error?: { code: string; message: string }): void {
    if (!this.transferId && (error || this.acceptedStorageContexts === 0) && this.refusedClasses.length > 0) {
      const classes = [...new Set(this.refusedClasses)];
      this.deps.transfers.begin({
        direction: 'incoming',
        kind: 'receive',
        peerAeTitle: this.peerAe,
        peerHost: normalizeAddress(this.sock?.remoteAddress),
        status: 'failed',
        errorCode: 'network-class-refused',
        message: `Nothing was stored: the receiver accepts XA, RF, SC and SR objects only and refused ${classes.length} other class(es), e.g. ${classes.slice(0, 3).join(', ')}.`,
      });
      return;
    }
    if (!this.transferId) return;
    const status = error ? 'failed' : this.failed > 0 && this.done === 0 ? 'failed' : 'succeeded';
    this.deps.transfers.finish(this.transferId, status, error, { done: this.done, failed: this.failed, bytes: this.bytes });
  }

  /** Drops what was in flight (never a partial instance in the store), records why, and closes the socket. */
  private fail(code: string, message: string, close: boolean): void {
    if (this.ended && !close) return;
    const wasEnded = this.ended;
    this.ended = true;
    const lost = this.discardPartial();
    if (!wasEnded) {
      this.deps.log('warn', `DICOM receiver: ${message}${lost ? ' A partly received instance was discarded.' : ''}`);
      this.finishTransfer({ code, message: lost ? `${message} The instance being received was discarded.` : message });
      if (code !== 'network-peer-aborted') {
        try {
          this.sendAbort();
        } catch {
          // the socket may already be gone
        }
      }
    }
    if (close) this.sock?.destroy();
  }

  private discardPartial(): boolean {
    const entry = this.current;
    this.current = null;
    if (!entry || entry.complete) return false;
    discardIncoming(entry);
    return true;
  }

  private closed(): void {
    if (!this.ended) {
      if (this.current && !this.current.complete) {
        this.fail('network-disconnected', `${this.where()} disconnected in the middle of an instance.`, false);
      } else if (!this.released) {
        this.ended = true;
        void this.pendingIngest.then(() => this.finishTransfer());
      }
    } else this.discardPartial();
    this.receiver?.sessionEnded(this);
  }

  /** Ends the association from our side (receiver stopping). */
  async shutdown(message: string): Promise<void> {
    this.fail('network-receiver-stopped', message, true);
    await this.closedPromise;
    await this.pendingIngest.catch(() => undefined);
  }
}
