// library.instance answers the stored pixel and angiography facts in the shapes the contract declares: checked by
// the registry like every answer, with the values dcmdump reads from the source file; a stored row that breaks the
// declared shape is refused as invalid output instead of reaching the Viewer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createAppContext, closeAppContext } from '../app/context.ts';
import { sharedDataDir } from '../app/paths.ts';
import { createIpcRegistry, type CallContext, type Handlers } from '../ipc/registry.ts';
import type { InvokeOutput } from '../../src-preload/contract.ts';
import { ingestHandlers } from './ipc.ts';

const caller: CallContext = { host: 'harness', origin: 'test' };
const CINE = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');

/** dcmdump's values of one attribute (`tag` as gggg,eeee), [] when the file lacks it. */
function dcmdumpValues(file: string, tag: string): string[] {
  const line = execFileSync('dcmdump', ['+P', tag, file], { encoding: 'utf8' }).split('\n').find((l) => l.startsWith(`(${tag})`));
  if (!line) return [];
  // "(gggg,eeee) VR value   # length, multiplicity Name": strings in brackets, numbers bare.
  const value = line.slice(`(${tag}) `.length + 3).split(/\s+#/)[0]!.trim();
  return (value.startsWith('[') ? value.slice(1, value.lastIndexOf(']')) : value).split('\\');
}
const dcmdumpNumber = (file: string, tag: string): number | null => {
  const [first] = dcmdumpValues(file, tag);
  return first === undefined ? null : Number(first);
};

test('library.instance carries the declared facts, as dcmdump reads them; a stored row off the shape is refused', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'angio-instance-facts-'));
  const ctx = createAppContext({ appRoot: process.cwd(), dataDir, sharedDataDir: sharedDataDir(), host: 'harness', log: () => {} });
  try {
    const slice = ingestHandlers(ctx);
    const registry = createIpcRegistry({ invoke: slice.invoke, send: slice.send, pixels: slice.pixels } as unknown as Handlers);
    const done = new Promise<void>((resolve) => ctx.bus.subscribe((name) => name === 'job.finished' && resolve()));
    const started = await registry.invoke('ingest.importFiles', { paths: [CINE] }, caller);
    assert.ok(started.ok, JSON.stringify(started));
    await done;
    const { id: instanceId } = ctx.store.db.prepare('SELECT id FROM instances').get() as { id: number };

    const answer = await registry.invoke('library.instance', { instanceId }, caller);
    assert.ok(answer.ok, JSON.stringify(!answer.ok && answer.error));
    const { angio, pixel, frames } = answer.value as InvokeOutput<'library.instance'>;
    assert.ok(angio && pixel);
    assert.equal(frames, dcmdumpNumber(CINE, '0028,0008'));
    assert.equal(angio.positionerPrimaryAngle, dcmdumpNumber(CINE, '0018,1510'));
    assert.equal(angio.positionerSecondaryAngle, dcmdumpNumber(CINE, '0018,1511'));
    assert.equal(angio.frameTimeMs, dcmdumpNumber(CINE, '0018,1063'));
    assert.equal(angio.cineRate, dcmdumpNumber(CINE, '0018,0040'));
    assert.deepEqual(angio.rWaveFrames, dcmdumpValues(CINE, '0028,6040').map(Number));
    assert.equal(angio.burnedInAnnotation, dcmdumpValues(CINE, '0028,0301')[0] ?? null);
    assert.deepEqual([...dcmdumpValues(CINE, '0018,1600'), ...dcmdumpValues(CINE, '0018,1700')], [], 'the cine records no shutter or collimator');
    assert.equal(angio.shutter, null);
    assert.equal(pixel.highBit, dcmdumpNumber(CINE, '0028,0102'));
    assert.deepEqual(pixel.windows.map((w) => w.center), dcmdumpValues(CINE, '0028,1050').map(Number));
    assert.deepEqual(pixel.rescale, { slope: dcmdumpNumber(CINE, '0028,1053') ?? 1, intercept: dcmdumpNumber(CINE, '0028,1052') ?? 0, ...(pixel.rescale.type === undefined ? {} : { type: pixel.rescale.type }) });

    // A stored fact of the wrong type (a catalog edited by hand, a writer that drifted) stops in main.
    const stored = JSON.parse((ctx.store.db.prepare('SELECT angio_json AS angio FROM instances WHERE id = ?').get(instanceId) as { angio: string }).angio) as Record<string, unknown>;
    ctx.store.db.prepare('UPDATE instances SET angio_json = ? WHERE id = ?').run(JSON.stringify({ ...stored, shutter: { shapes: 'RECTANGULAR' } }), instanceId);
    const refused = await registry.invoke('library.instance', { instanceId }, caller);
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'invalid-output');
    assert.ok((refused.error.details as { path: unknown[] }[]).some((issue) => issue.path.join('.') === 'angio.shutter.shapes'), JSON.stringify(refused.error.details));
  } finally {
    await closeAppContext(ctx);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
