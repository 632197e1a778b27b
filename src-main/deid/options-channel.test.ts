// The de-identification options over the ingest channels the Reports screen's panel uses: read, changed (audited),
// and (0012,0063) as the next import writes it; the next import's stored copy carries the codes pydicom reads.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { closeAppContext, createAppContext } from '../app/context.ts';
import { sharedDataDir } from '../app/paths.ts';
import { ingestHandlers } from '../ingest/ipc.ts';
import { createIpcRegistry, type CallContext, type Handlers } from '../ipc/registry.ts';
import { IngestService } from '../ingest/service.ts';
import { markersIn } from './testing/probe.ts';
import { writeXa } from './testing/small-xa.ts';

const caller: CallContext = { host: 'harness', origin: 'test' };

test('deid.options.get and deid.options.set read and change the catalog\'s options; the next import records them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'angio-deid-options-'));
  const ctx = createAppContext({ appRoot: process.cwd(), dataDir: join(dir, 'data'), sharedDataDir: sharedDataDir(), host: 'harness', log: () => {} });
  const slice = ingestHandlers(ctx);
  const registry = createIpcRegistry({ invoke: slice.invoke, send: slice.send, pixels: slice.pixels } as unknown as Handlers);
  const invoke = async <T>(channel: string, input: unknown): Promise<T> => {
    const answer = await registry.invoke(channel, input, caller);
    assert.ok(answer.ok, `${channel}: ${JSON.stringify(!answer.ok && answer.error)}`);
    return answer.value as T;
  };
  try {
    const initial = await invoke<{ retainPatientCharacteristics: boolean; method: string[] }>('deid.options.get', {});
    assert.equal(initial.retainPatientCharacteristics, false);
    assert.equal(initial.method.length, 2, 'the Basic Profile and Retain Longitudinal with Modified Dates');
    const changed = await invoke<{ retainPatientCharacteristics: boolean; method: string[] }>('deid.options.set', { retainPatientCharacteristics: true, reader: 'dr-test' });
    assert.equal(changed.retainPatientCharacteristics, true);
    assert.ok(changed.method.includes('Retain Patient Characteristics Option'));
    assert.equal((await registry.invoke('deid.options.set', { cleanPixelData: true, reader: null }, caller)).ok, false, 'Clean Pixel Data is per series, not a catalog option');
    const audited = ctx.store.db.prepare("SELECT reader FROM audit_log WHERE action = 'deid.options'").get() as { reader: string } | undefined;
    assert.equal(audited?.reader, 'dr-test');

    writeXa(join(dir, 'xa'), '1.2.826.0.1.3680043.8.498.5151');
    const ingest = new IngestService({ store: ctx.store, dataDir: join(dir, 'data') });
    await ingest.runImport('xa', { root: join(dir, 'xa') }, { progress: () => {}, throwIfCancelled: () => {} });
    const sha = (ctx.store.db.prepare('SELECT blob_sha256 AS sha FROM instances').get() as { sha: string }).sha;
    const { codes, methods } = markersIn(ingest.blobs.pathOf(sha), []);
    ingest.close();
    assert.deepEqual(codes, ['113100', '113107', '113108']);
    assert.deepEqual(methods, changed.method);
  } finally {
    await closeAppContext(ctx);
    rmSync(dir, { recursive: true, force: true });
  }
});
