// Test helpers for real DICOM peers: dcmtk tools run as child processes (asynchronously, since our receiver shares the
// test's event loop), free loopback ports, and a pixel-data oracle (pydicom) for comparing files.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { OracleToolError, requireTool } from '../../testing/oracle-tool.ts';
import { runPython } from '../../testing/python-oracle.ts';

export const LOOPBACK = '127.0.0.1';

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs a dcmtk tool with a hard time limit; the process is killed (and awaited) when it overstays. Its exit status is
 * the caller's to judge (a refused association is a result here); a tool that is missing or cannot start rejects.
 */
export function runTool(command: string, args: string[], timeoutMs = 60_000): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(requireTool(command), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.once('error', (error) => reject(new OracleToolError(command, `${command} could not start: ${error.message}`)));
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}

/** A long-running peer (storescp, dcmqrscp) that the test stops in its cleanup; throws at once when the tool is missing. */
export function startTool(command: string, args: string[], cwd?: string): { stop(): Promise<void>; output(): string } {
  const child = spawn(requireTool(command), args, { stdio: ['ignore', 'pipe', 'pipe'], cwd });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A port nobody listens on right now (bound then released by the OS on loopback). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: LOOPBACK, port: 0 }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Waits until a TCP port accepts connections (a peer process finished starting), bounded in time. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: LOOPBACK, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listened on ${LOOPBACK}:${port} within ${timeoutMs} ms`);
}

export interface PixelFacts {
  file: string;
  sopInstanceUid: string;
  transferSyntaxUid: string;
  pixelSha256: string | null;
  rows: number | null;
  frames: number;
}

/** pydicom reads each file and hashes its (7FE0,0010) value bytes as stored: equal hashes mean identical pixel data. */
export function pixelFacts(files: string[]): PixelFacts[] {
  return runPython<PixelFacts[]>(
    `
import hashlib, json, sys
import pydicom
out = []
for f in json.load(sys.stdin):
    ds = pydicom.dcmread(f, force=True)
    px = ds.get((0x7fe0, 0x0010))
    out.append({
        'file': f,
        'sopInstanceUid': str(ds.get('SOPInstanceUID', '')),
        'transferSyntaxUid': str(ds.file_meta.get('TransferSyntaxUID', '')) if hasattr(ds, 'file_meta') else '',
        'pixelSha256': hashlib.sha256(px.value).hexdigest() if px is not None else None,
        'rows': int(ds.Rows) if 'Rows' in ds else None,
        'frames': int(ds.get('NumberOfFrames', 1) or 1),
    })
print(json.dumps(out))
`,
    files,
  );
}
