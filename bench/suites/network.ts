// Bench suite for the DICOM receiver: dcmtk's storescu sends the 96-frame XA cine to our receiver and to
// dcmtk's storescp in the same run, alternating; throughput is file bytes ÷ storescu's wall time (association,
// transfer, release). Ratio = our rate ÷ storescp's (target ≥ 0.8). Ours stops at the complete file handed to ingest
// (the same point where storescp has written its file); ingest's own decode and catalogue work is the import suite's.
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedDataDir } from '../../src-main/app/paths.ts';
import { Receiver } from '../../src-main/network/receiver.ts';
import { freePort, LOOPBACK, runTool, startTool, waitForPort } from '../../src-main/network/testing/dcmtk.ts';
import { TransferLog } from '../../src-main/network/transfer-log.ts';
import { openStore } from '../../src-main/store/index.ts';
import type { Figure, SuiteOptions } from '../types.ts';

const CINE = join(sharedDataDir(), 'dicom', 'xa', 'XA_cine_96f_jpeg_baseline.dcm');
const MIB = 1024 * 1024;

async function sendSeconds(port: number, calledAe: string): Promise<number> {
  const start = performance.now();
  const run = await runTool('storescu', ['-xy', '-aet', 'BENCH', '-aec', calledAe, LOOPBACK, String(port), CINE], 60_000);
  const seconds = (performance.now() - start) / 1000;
  if (run.status !== 0) throw new Error(`storescu to ${calledAe} failed: ${run.stderr}`);
  return seconds;
}

export async function networkSuite(options: SuiteOptions): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'angio-bench-network-'));
  const store = openStore(join(dir, 'data'));
  let received = 0;
  const receiver = new Receiver({
    incomingDir: join(dir, 'incoming'),
    transfers: new TransferLog(store),
    log: () => undefined,
    ingestFile: async () => {
      received++;
      return { status: 'imported' };
    },
  });
  const storescpPort = await freePort();
  mkdirSync(join(dir, 'storescp'), { recursive: true });
  const storescp = startTool('storescp', ['+xa', '-aet', 'STORESCP', '-od', join(dir, 'storescp'), String(storescpPort)]);
  try {
    const { port } = await receiver.start({
      aeTitle: 'ANGIO_BENCH',
      bindAddress: LOOPBACK,
      port: 0,
      allowedPeers: [{ aeTitle: 'BENCH', host: LOOPBACK, description: 'bench' }],
      pacs: null,
      associationTimeoutSeconds: 30,
      pduTimeoutSeconds: 30,
    });
    await waitForPort(storescpPort);
    const bytes = statSync(CINE).size / MIB;
    const repeats = options.smoke ? 1 : options.repeats;
    // Warm-up: one send each (codecs, page cache, JIT).
    await sendSeconds(port as number, 'ANGIO_BENCH');
    await sendSeconds(storescpPort, 'STORESCP');
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      if (i % 2 === 0) {
        ours.push(bytes / (await sendSeconds(port as number, 'ANGIO_BENCH')));
        theirs.push(bytes / (await sendSeconds(storescpPort, 'STORESCP')));
      } else {
        theirs.push(bytes / (await sendSeconds(storescpPort, 'STORESCP')));
        ours.push(bytes / (await sendSeconds(port as number, 'ANGIO_BENCH')));
      }
    }
    if (received !== repeats + 1) throw new Error(`the receiver got ${received} files, expected ${repeats + 1}`);
    const note = 'storescu -xy → loopback, 1.62 MiB cine, wall time of the storescu process';
    return [
      { name: 'receive XA cine 96f (ours, dcmjs-dimse)', unit: 'MiB/s', values: ours, note },
      { name: 'receive XA cine 96f (dcmtk storescp)', unit: 'MiB/s', values: theirs, note },
      { name: 'receive XA cine 96f ours ÷ storescp', unit: 'ratio', values: ours.map((v, i) => v / (theirs[i] as number)), target: 0.8, note },
    ];
  } finally {
    await receiver.stop();
    await storescp.stop();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
