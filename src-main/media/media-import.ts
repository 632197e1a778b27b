// Imports the selected files of a medium through ingest, one at a time: a missing or unreadable file is reported
// and skipped, never the end of the import; cancel stops between files. Progress and the outcome go to the job.
import type { MediaImportResult, MediaInstance } from '../../src-preload/channels/network.ts';
import type { JobContext } from '../jobs/index.ts';
import type { IngestFile, TransferLog } from '../network/index.ts';

export interface MediaImportDeps {
  ingestFile: IngestFile;
  transfers: TransferLog;
}

export async function importMediaFiles(
  deps: MediaImportDeps,
  job: Pick<JobContext, 'progress' | 'throwIfCancelled' | 'signal'>,
  transferId: string,
  label: string,
  instances: readonly MediaInstance[],
): Promise<MediaImportResult> {
  const result: MediaImportResult = { transferId, imported: 0, duplicates: 0, problems: [] };
  const update = (): void => {
    deps.transfers.update(transferId, { done: result.imported + result.duplicates, failed: result.problems.length });
  };
  try {
    for (let i = 0; i < instances.length; i++) {
      job.throwIfCancelled();
      const instance = instances[i] as MediaInstance;
      job.progress('media', i, instances.length, instance.fileId);
      if (!instance.path) {
        result.problems.push({ file: instance.fileId, status: 'missing', reason: 'named in the DICOMDIR but not on the media' });
      } else {
        try {
          const outcome = await deps.ingestFile(instance.path, { source: 'media', transferId, label });
          if (outcome.status === 'imported') result.imported++;
          else if (outcome.status === 'duplicate') result.duplicates++;
          else result.problems.push({ file: instance.fileId, status: 'rejected', reason: [outcome.reason, outcome.message].filter(Boolean).join(': ') || 'rejected' });
        } catch (error) {
          result.problems.push({ file: instance.fileId, status: 'unreadable', reason: error instanceof Error ? error.message : String(error) });
        }
      }
      if (i % 16 === 15) update();
    }
  } catch (error) {
    deps.transfers.finish(transferId, job.signal.aborted ? 'cancelled' : 'failed', job.signal.aborted ? undefined : { code: 'media-import-failed', message: (error as Error).message }, {
      done: result.imported + result.duplicates,
      failed: result.problems.length,
    });
    throw error;
  }
  job.progress('media', instances.length, instances.length);
  const message = result.problems.length > 0 ? `${result.problems.length} file(s) could not be imported (missing, unreadable or rejected).` : undefined;
  deps.transfers.finish(transferId, result.imported + result.duplicates === 0 && result.problems.length > 0 ? 'failed' : 'succeeded', undefined, {
    done: result.imported + result.duplicates,
    failed: result.problems.length,
    ...(message ? { message } : {}),
  });
  return result;
}
