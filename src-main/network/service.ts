// The networking capability's public service: settings, the receiver's lifecycle, echo, query/retrieve and send
// jobs, media import jobs and the transfers log. Built from injected parts so a test runs it on a temp folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  MediaContents,
  MediaSelection,
  NetworkSettings,
  NetworkSettingsPatch,
  Pacs,
  ReceiverStatus,
  StudyMatch,
  StudyQuery,
  Transfer,
} from '../../src-preload/channels/network.ts';
import { readDicom, text, TRANSFER_SYNTAXES } from '../dicom/index.ts';
import { AppError, type EventBus } from '../ipc/index.ts';
import type { JobContext, JobRunner } from '../jobs/index.ts';
import { importMediaFiles, scanMedia, selectInstances } from '../media/index.ts';
import { type Store, writeAudit } from '../store/index.ts';
import { isSendableClass } from './acceptance.ts';
import { DimseStatus } from './dimse.ts';
import type { IngestFile } from './ingest-port.ts';
import { Receiver, type ReceiverSettings } from './receiver.ts';
import { describeStatus, echo, findStudies, getStudy, moveStudy, storeFiles, type RetrieveProgress, type ScuOptions } from './scu.ts';
import { readNetworkSettings, updateNetworkSettings } from './settings.ts';
import { TransferLog } from './transfer-log.ts';

export interface NetworkDeps {
  store: Store;
  dataDir: string;
  bus?: EventBus;
  jobs?: JobRunner;
  ingestFile: IngestFile;
  /** The pseudonymous id a scanned disc or folder is audited under (ingest's sourceNameFor); default: its path. */
  sourceName?: (path: string) => string;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Tests shorten the DIMSE timers below the settings' one-second granularity. */
  timeoutsMs?: { association: number; pdu: number };
}

const COMPRESSED_SYNTAXES = [...TRANSFER_SYNTAXES.values()].filter((ts) => ts.encapsulated || ts.deflated || !ts.littleEndian).map((ts) => ts.uid);

export class NetworkService {
  readonly transfers: TransferLog;
  readonly receiver: Receiver;
  private readonly deps: NetworkDeps;

  constructor(deps: NetworkDeps) {
    this.deps = deps;
    this.transfers = new TransferLog(deps.store, deps.bus);
    this.transfers.markInterrupted();
    this.receiver = new Receiver({
      incomingDir: join(deps.dataDir, 'network', 'incoming'),
      ingestFile: deps.ingestFile,
      transfers: this.transfers,
      log: deps.log,
      onStatus: (status) => deps.bus?.emit('network.receiver', status),
    });
  }

  settings(): NetworkSettings {
    return readNetworkSettings(this.deps.store);
  }

  private receiverSettings(settings: NetworkSettings): ReceiverSettings {
    return { ...settings, ...(this.deps.timeoutsMs ? { timeoutsMs: this.deps.timeoutsMs } : {}) };
  }

  /** Saves settings; the receiver follows `receiverEnabled` and restarts when its address, port or AE title change. */
  async updateSettings(patch: NetworkSettingsPatch): Promise<NetworkSettings> {
    const before = this.settings();
    const next = updateNetworkSettings(this.deps.store, patch);
    const running = this.receiver.status().running;
    const rebind = next.aeTitle !== before.aeTitle || next.bindAddress !== before.bindAddress || next.port !== before.port;
    if (!next.receiverEnabled && running) await this.receiver.stop();
    else if (next.receiverEnabled && running && rebind) {
      await this.receiver.stop();
      await this.startWith(next);
    } else if (next.receiverEnabled && !running) await this.startWith(next);
    else if (running) this.receiver.reconfigure(this.receiverSettings(next));
    return next;
  }

  private async startWith(settings: NetworkSettings): Promise<ReceiverStatus> {
    try {
      return await this.receiver.start(this.receiverSettings(settings));
    } catch (error) {
      // A receiver that cannot listen is off: the switch must not claim otherwise after a restart.
      updateNetworkSettings(this.deps.store, { receiverEnabled: false });
      throw error;
    }
  }

  receiverStatus(): ReceiverStatus {
    return this.receiver.status();
  }

  async startReceiver(): Promise<ReceiverStatus> {
    if (this.receiver.status().running) return this.receiver.status();
    const settings = updateNetworkSettings(this.deps.store, { receiverEnabled: true });
    return this.startWith(settings);
  }

  async stopReceiver(): Promise<ReceiverStatus> {
    updateNetworkSettings(this.deps.store, { receiverEnabled: false });
    return this.receiver.stop();
  }

  /** Starts the receiver at launch when the user left it on. */
  async resume(): Promise<void> {
    const settings = this.settings();
    if (!settings.receiverEnabled) return;
    try {
      await this.receiver.start(this.receiverSettings(settings));
    } catch (error) {
      this.deps.log('error', `The DICOM receiver could not start: ${(error as Error).message}`);
    }
  }

  private scuOptions(settings: NetworkSettings, signal?: AbortSignal): ScuOptions {
    return { callingAeTitle: settings.aeTitle, timeoutMs: this.deps.timeoutsMs?.pdu ?? settings.associationTimeoutSeconds * 1000, signal };
  }

  private pacs(settings: NetworkSettings): Pacs {
    if (!settings.pacs) throw new AppError('network-no-pacs', 'No PACS is configured. Enter its AE title, address and port in the network settings.');
    return settings.pacs;
  }

  private jobs(): JobRunner {
    if (!this.deps.jobs) throw new AppError('jobs-unavailable', 'Network transfers need a job runner; this host has none.');
    return this.deps.jobs;
  }

  async echo(target: { pacs: true } | Pacs): Promise<{ milliseconds: number }> {
    const settings = this.settings();
    const peer = 'pacs' in target ? this.pacs(settings) : target;
    return { milliseconds: await echo(peer, this.scuOptions(settings)) };
  }

  /** Runs `body` as a job with its own transfers row; the row ends with the job's verdict. */
  private transferJob<T>(kind: Transfer['kind'], direction: Transfer['direction'], peer: Pacs | null, total: number | null, body: (job: JobContext, transferId: string) => Promise<T>): { jobId: string; transferId: string } {
    const transfer = this.transfers.begin({ direction, kind, peerAeTitle: peer?.aeTitle ?? null, peerHost: peer?.host ?? null, total });
    const jobId = this.jobs().start(`network.${kind}`, async (job) => {
      try {
        const result = await body(job, transfer.id);
        if (this.transfers.get(transfer.id)?.status === 'running') this.transfers.finish(transfer.id, 'succeeded');
        return result;
      } catch (error) {
        const cancelled = job.signal.aborted || (error instanceof AppError && error.code === 'network-cancelled');
        const appError = error instanceof AppError ? error : new AppError('network-failed', (error as Error).message);
        this.transfers.finish(transfer.id, cancelled ? 'cancelled' : 'failed', { code: appError.code, message: appError.message });
        throw error;
      }
    });
    this.transfers.update(transfer.id, { jobId });
    return { jobId, transferId: transfer.id };
  }

  startQuery(query: StudyQuery): { jobId: string; transferId: string } {
    const settings = this.settings();
    const peer = this.pacs(settings);
    return this.transferJob('query', 'outgoing', peer, null, async (job, transferId) => {
      let count = 0;
      const studies = await findStudies(peer, query, this.scuOptions(settings, job.signal), (study: StudyMatch) => {
        count++;
        this.deps.bus?.emit('network.queryMatch', { jobId: job.jobId, study });
        job.progress('query', count, 0, `${count} studies found`);
      });
      this.transfers.update(transferId, { done: studies.length, total: studies.length });
      return { studies };
    });
  }

  startRetrieve(studyInstanceUids: string[], method?: 'move' | 'get'): { jobId: string; transferId: string } {
    const settings = this.settings();
    const peer = this.pacs(settings);
    const how = method ?? settings.retrieveMethod;
    if (how === 'move' && !this.receiver.status().running) {
      throw new AppError('network-receiver-off', 'C-MOVE sends the study to our receiver, which is off. Turn the receiver on, or retrieve with C-GET.');
    }
    return this.transferJob('retrieve', 'incoming', peer, null, async (job, transferId) => {
      const totals = { completed: 0, failed: 0, warnings: 0 };
      for (const [index, studyUid] of studyInstanceUids.entries()) {
        job.throwIfCancelled();
        const report = (p: RetrieveProgress): void => {
          const done = totals.completed + p.completed;
          const total = p.remaining === null ? null : done + totals.failed + p.failed + p.remaining;
          this.transfers.update(transferId, { done, failed: totals.failed + p.failed, total });
          job.progress('retrieve', done, total ?? 0, `study ${index + 1} of ${studyInstanceUids.length}`);
        };
        const options = this.scuOptions(settings, job.signal);
        const result =
          how === 'move'
            ? await moveStudy(peer, studyUid, settings.aeTitle, options, report)
            : await getStudy(
                peer,
                studyUid,
                join(this.deps.dataDir, 'network', 'retrieving'),
                options,
                async (path) => (await this.deps.ingestFile(path, { source: 'network', transferId, label: peer.aeTitle })).status !== 'rejected',
                COMPRESSED_SYNTAXES,
                report,
              );
        totals.completed += result.completed;
        totals.failed += result.failed;
        totals.warnings += result.warnings;
        this.transfers.update(transferId, { done: totals.completed, failed: totals.failed });
      }
      if (totals.failed > 0) {
        this.transfers.finish(transferId, totals.completed > 0 ? 'succeeded' : 'failed', { code: 'network-retrieve-partial', message: `${totals.failed} instance(s) could not be retrieved.` });
      }
      return totals;
    });
  }

  /** Sends exported reports and secondary captures (only those classes) to the PACS. */
  startSend(files: string[]): { jobId: string; transferId: string } {
    const settings = this.settings();
    const peer = this.pacs(settings);
    const checked = files.map((path) => {
      let parsed;
      try {
        parsed = readDicom(readFileSync(path), path);
      } catch (error) {
        throw new AppError('network-send-unreadable', `${path} is not a readable DICOM file (${(error as Error).message}); export it again.`);
      }
      const sopClassUid = text(parsed.dataSet, 'x00080016') ?? '';
      if (!isSendableClass(sopClassUid)) {
        throw new AppError('network-send-class', `${path} is not a structured report or secondary capture (SOP class ${sopClassUid || 'missing'}); only exported reports and captures are sent to the PACS.`);
      }
      return { path, transferSyntaxUid: parsed.transferSyntax.uid };
    });
    return this.transferJob('send', 'outgoing', peer, files.length, async (job, transferId) => {
      let done = 0;
      let failed = 0;
      const problems: { file: string; status: string }[] = [];
      const statuses = await storeFiles(peer, checked, this.scuOptions(settings, job.signal), (path, status) => {
        if (status === DimseStatus.success || (status & 0xf000) === 0xb000) done++;
        else {
          failed++;
          problems.push({ file: path, status: describeStatus(status) });
        }
        this.transfers.update(transferId, { done, failed });
        job.progress('send', done + failed, files.length);
      });
      writeAudit(this.deps.store, { action: 'export.send', objectType: 'pacs', objectId: peer.aeTitle, detail: { files: files.length, done, failed } });
      if (failed > 0) {
        this.transfers.finish(transferId, done > 0 ? 'succeeded' : 'failed', { code: 'network-send-partial', message: `${failed} of ${files.length} file(s) were refused by ${peer.aeTitle}.` });
      }
      return { sent: done, failed, problems, statuses: statuses.size };
    });
  }

  scanMedia(path: string): MediaContents {
    const contents = scanMedia(path);
    writeAudit(this.deps.store, { action: 'media.scan', objectType: 'media', objectId: contents.fileSetId ?? (this.deps.sourceName?.(contents.root) ?? contents.root), detail: { instances: contents.instanceCount, missing: contents.missingCount } });
    return contents;
  }

  startMediaImport(path: string, selection: MediaSelection): { jobId: string; transferId: string } {
    const contents = scanMedia(path);
    const instances = selectInstances(contents, selection);
    const transfer = this.transfers.begin({ direction: 'incoming', kind: 'media', peerAeTitle: contents.fileSetId, total: instances.length });
    const jobId = this.jobs().start('media.import', (job) =>
      importMediaFiles({ ingestFile: this.deps.ingestFile, transfers: this.transfers }, job, transfer.id, contents.fileSetId ?? 'media', instances),
    );
    this.transfers.update(transfer.id, { jobId });
    return { jobId, transferId: transfer.id };
  }

  listTransfers(options: { limit: number; direction?: Transfer['direction'] }): Transfer[] {
    return this.transfers.list(options);
  }

  async close(): Promise<void> {
    await this.receiver.stop();
  }
}
