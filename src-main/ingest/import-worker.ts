// Worker-thread entry for a folder import: hashing, PNG checks, catalog writes and (through its own isolated codec
// thread) DICOM decoding all happen here, so main's event loop, and with it the window, stays responsive. The
// worker has its own connection to the catalog (WAL: main keeps reading and writing labels meanwhile).
import { parentPort, workerData } from 'node:worker_threads';
import { unlockedKeyHolder } from '../deid/index.ts';
import { JobCancelled } from '../jobs/index.ts';
import { openStore } from '../store/index.ts';
import type { ImportWorkerInput, ImportWorkerMessage } from './import-in-worker.ts';
import { IngestService } from './service.ts';

const port = parentPort;
if (!port) throw new Error('ingest/import-worker.ts must run as a worker thread');
const input = workerData as ImportWorkerInput;
let cancelled = false;
port.on('message', (message: { type: string }) => {
  if (message.type === 'cancel') cancelled = true;
});
const post = (message: ImportWorkerMessage) => port.postMessage(message);

const store = openStore(input.dataDir);
const vaultKeyHolder = input.vaultDataKey ? unlockedKeyHolder(input.vaultDataKey) : undefined;
const ingest = new IngestService({ store, dataDir: input.dataDir, decodeDeadlineMs: input.decodeDeadlineMs, markInterruptedImports: false, vaultKeyHolder });
let filesBegun = 0;
ingest
  .runImport(input.jobId, input.options, {
    progress: (stage, done, total, message) => post({ type: 'progress', stage, done, total, message }),
    // Called as each file begins.
    throwIfCancelled: () => {
      if (cancelled) throw new JobCancelled();
      if (++filesBegun === input.exitAtFile) process.exit(70); // a test's stand-in for a crash (importWorkerTestHooks)
    },
    rejected: (entry) => post({ type: 'rejected', entry }),
  })
  .then((counts) => post({ type: 'result', counts }))
  .catch((error: Error & { code?: string; details?: unknown }) =>
    post(error instanceof JobCancelled ? { type: 'cancelled' } : { type: 'error', error: { code: error.code ?? 'import-failed', message: error.message, details: error.details } }),
  )
  .finally(async () => {
    await ingest.close();
    store.close();
    port.close();
  });
