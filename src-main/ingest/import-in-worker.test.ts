// A folder import runs in a worker thread: when that worker dies mid-import the job fails with worker-crashed
// (main and its catalog carry on), and jobs.restart runs the import again to the end without duplicating a file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeAppContext, createAppContext } from '../app/context.ts';
import { sharedDataDir } from '../app/paths.ts';
import { createIpcRegistry, type CallContext, type Handlers } from '../ipc/registry.ts';
import { systemHandlers } from '../system/ipc.ts';
import { listFiles } from './folder-import.ts';
import { importWorkerTestHooks, liveImportWorkers } from './import-in-worker.ts';
import { ingestHandlers } from './ipc.ts';

const caller: CallContext = { host: 'harness', origin: 'test' };

test('a crashed import worker fails its job with worker-crashed; jobs.restart finishes the folder once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'angio-import-worker-'));
  const ctx = createAppContext({ appRoot: process.cwd(), dataDir, sharedDataDir: sharedDataDir(), host: 'harness', log: () => {} });
  const ingest = ingestHandlers(ctx);
  const system = systemHandlers(ctx);
  const registry = createIpcRegistry({ invoke: { ...ingest.invoke, ...system.invoke }, send: {}, pixels: ingest.pixels } as unknown as Handlers);
  const finished = new Map<string, Record<string, unknown>>();
  ctx.bus.subscribe((name, payload) => {
    const event = payload as Record<string, unknown>;
    if (name === 'job.finished') finished.set(event.jobId as string, event);
  });
  const until = async (jobId: string) => {
    while (!finished.has(jobId)) await new Promise((resolve) => setTimeout(resolve, 20));
    return finished.get(jobId)!;
  };
  const invoke = async (channel: string, input: unknown) => {
    const answer = await registry.invoke(channel, input, caller);
    assert.ok(answer.ok, `${channel}: ${JSON.stringify(!answer.ok && answer.error)}`);
    return answer.value as { jobId: string };
  };
  try {
    const root = join(sharedDataDir(), 'p-adsd', 'labeled', 'val');
    // The worker dies once it has committed some of the work (a batch of 256 patches): what a crash in a codec or the
    // allocator does, at a file the test chooses.
    importWorkerTestHooks.exitAtFile = 290;
    const first = await invoke('ingest.importFolder', { root });
    const crash = await until(first.jobId);
    assert.equal(crash.status, 'failed');
    assert.equal((crash.error as { code: string }).code, 'worker-crashed');
    assert.match((crash.error as { message: string }).message, /restart the import/);
    const partial = (ctx.store.db.prepare("SELECT count(*) AS n FROM dataset_items WHERE kind = 'png'").get() as { n: number }).n;
    assert.ok(partial > 0 && partial < listFiles(root).length, `the crash came mid-import, after a commit (${partial} items)`);
    assert.match((crash.error as { message: string }).message, /exited \(code 70\)/);

    const again = await invoke('jobs.restart', { jobId: first.jobId });
    assert.notEqual(again.jobId, first.jobId);
    assert.equal((await until(again.jobId)).status, 'succeeded');
    const items = ctx.store.db.prepare("SELECT count(*) AS n, count(DISTINCT source_sha256) AS distinctFiles FROM dataset_items WHERE kind = 'png'").get() as { n: number; distinctFiles: number };
    assert.equal(items.n, listFiles(root).length, 'every patch catalogued once after the restart');
    assert.equal(items.distinctFiles, items.n);
    assert.equal(liveImportWorkers.size, 0, 'no worker left behind');
    const refused = await registry.invoke('jobs.restart', { jobId: first.jobId }, caller);
    assert.equal(!refused.ok && refused.error.code, 'job-not-restartable', 'a job restarts once');
  } finally {
    await closeAppContext(ctx);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
