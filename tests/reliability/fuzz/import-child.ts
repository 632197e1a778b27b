// The app's own import path in a child process, driven case by case by the fuzz campaign (campaign.ts): a crash,
// hang or runaway memory here is observed by the parent instead of ending the test run.
// Usage (forked): node import-child.ts <dataDir> <decodeDeadlineMs>
import { AppError } from '../../../src-main/ipc/app-error.ts';
import { openStore } from '../../../src-main/store/database.ts';
import { IngestService } from '../../../src-main/ingest/service.ts';

export interface ChildCase {
  caseId: number;
  folder: string;
  /** Decode every imported patch as the thumbnail and training paths will (PNG cases). */
  decodePatches: boolean;
}

export interface ChildAnswer {
  caseId: number;
  /** accepted: imported/duplicate/unsupported/document; rejected: a logged rejection or a typed AppError. */
  outcome: 'accepted' | 'rejected' | 'untyped' | 'accepted-unreadable';
  reason: string;
  message: string;
  rssMb: number;
}

const [dataDir, deadline] = process.argv.slice(2) as [string, string];
const store = openStore(dataDir);
const service = new IngestService({ store, dataDir, decodeDeadlineMs: Number(deadline) || undefined });
const quiet = { progress: () => {}, throwIfCancelled: () => {} };

async function runCase(c: ChildCase): Promise<Omit<ChildAnswer, 'rssMb'>> {
  const jobId = `fuzz-${process.pid}-${c.caseId}`;
  let counts;
  try {
    counts = await service.runImport(jobId, { root: c.folder, datasetFrames: 'key' }, quiet);
  } catch (error) {
    if (error instanceof AppError) return { caseId: c.caseId, outcome: 'rejected', reason: error.code, message: error.message };
    return { caseId: c.caseId, outcome: 'untyped', reason: error instanceof Error ? error.name : typeof error, message: String(error instanceof Error ? error.stack : error) };
  }
  const log = service.importLog(jobId, null);
  const rejected = log.find((e) => e.outcome === 'rejected');
  if (rejected) return { caseId: c.caseId, outcome: 'rejected', reason: rejected.reason ?? '', message: rejected.message ?? '' };
  if (c.decodePatches && counts.imported > 0) {
    const items = store.db
      .prepare("SELECT d.id FROM dataset_items d JOIN import_log l ON l.source_sha256 = d.source_sha256 WHERE l.job_id = ? AND l.outcome = 'imported'")
      .all(jobId) as { id: number }[];
    for (const item of items) {
      try {
        await service.thumbnail({ itemId: item.id }, 64);
      } catch (error) {
        const code = error instanceof AppError ? error.code : 'untyped';
        return { caseId: c.caseId, outcome: 'accepted-unreadable', reason: code, message: error instanceof Error ? error.message : String(error) };
      }
    }
  }
  return { caseId: c.caseId, outcome: 'accepted', reason: log.map((e) => e.outcome).join(','), message: '' };
}

process.on('message', (message: ChildCase | { type: 'exit' }) => {
  if ('type' in message) {
    service.close();
    store.close();
    process.exit(0);
  }
  void runCase(message).then((answer) => process.send?.({ ...answer, rssMb: Math.round(process.memoryUsage().rss / 1e6) } satisfies ChildAnswer));
});
process.send?.({ ready: true });
