// The rendezvous store rank 0 runs (our c10d::Store, not TCPStore): it must listen on exactly the address given
// (the kernel's own socket table, /proc/net/tcp and tcp6, is the oracle) and serve nobody who cannot prove the
// token: a raw TCP client that skips the proof and asks for keys is disconnected, one that proves it (SHA-256 from
// node:crypto, an independent implementation) is served, and the real ranks still meet.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { StageSpec } from './engine.ts';
import { SMALL_RUN_CONFIG } from './testing/small-run.ts';

const stepsEntry = join(dirname(fileURLToPath(import.meta.url)), 'testing', 'distributed-steps.ts');
const TOKEN = 'test-token-0123456789abcdef';
const stage: StageSpec = { kind: 'pretrain', imageSet: 'train', learningRate: 1e-3, weightDecay: 0, totalSteps: 1, warmupSteps: 0 };

async function freePort(host: string): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

interface Listener { file: 'tcp' | 'tcp6'; address: string }

/** Every listening socket on `port`, with its local address as the kernel prints it (hex, host byte order). */
function listenersOn(port: number): Listener[] {
  const found: Listener[] = [];
  for (const file of ['tcp', 'tcp6'] as const) {
    for (const line of readFileSync(`/proc/net/${file}`, 'utf8').trim().split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [address, hexPort] = (local as string).split(':');
      if (state === '0A' && parseInt(hexPort as string, 16) === port) found.push({ file, address: address as string });
    }
  }
  return found;
}

/** The kernel's spelling of a loopback literal in /proc/net: 127.0.0.1 little-endian, ::1 as four LE words. */
const KERNEL_FORM: Record<string, Listener> = {
  '127.0.0.1': { file: 'tcp', address: '0100007F' },
  '::1': { file: 'tcp6', address: '00000000000000000000000001000000' },
};

function frame(text: string): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(4);
  header.writeUInt32BE(body.length);
  return Buffer.concat([header, body]);
}

/** Connects without the token, asks to write and read keys, and reports what came back before the close. */
async function strangerTries(host: string, port: number): Promise<{ closed: boolean; received: string }> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => { socket.destroy(); done({ closed: false, received: Buffer.concat(chunks).toString('latin1') }); }, 30_000);
    socket.on('connect', () => {
      socket.write(Buffer.concat([frame('set'), frame('angio/joined/1'), frame('1'), frame('get'), frame('angio/joined/1'), frame('1000')]));
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(timer); done({ closed: true, received: Buffer.concat(chunks).toString('latin1') }); });
  });
}

/** Reads length-prefixed frames off a socket, one per call. */
function frameReader(socket: Socket): () => Promise<string> {
  let buffered = Buffer.alloc(0);
  let wake: (() => void) | null = null;
  socket.on('data', (chunk) => { buffered = Buffer.concat([buffered, chunk]); wake?.(); });
  socket.on('close', () => wake?.());
  return async () => {
    while (buffered.length < 4 || buffered.length < 4 + buffered.readUInt32BE(0)) {
      if (socket.destroyed) throw new Error('closed before a whole frame');
      await new Promise<void>((r) => (wake = r));
    }
    const n = buffered.readUInt32BE(0);
    const text = buffered.subarray(4, 4 + n).toString('latin1');
    buffered = buffered.subarray(4 + n);
    return text;
  };
}

/** A client written from the protocol alone, its proof computed by node:crypto: it must be admitted and served. */
async function honestClient(host: string, port: number): Promise<{ verdict: string; value: string }> {
  const socket = connect({ host, port });
  const next = frameReader(socket);
  const nonce = await next();
  socket.write(frame(createHash('sha256').update(`angio-rendezvous|${nonce}|${TOKEN}`).digest('hex')));
  const verdict = await next();
  socket.write(Buffer.concat([frame('set'), frame('probe/key'), frame('probe-value'), frame('get'), frame('probe/key'), frame('1000')]));
  await next();  // the set's empty acknowledgement
  const value = await next();
  socket.destroy();
  return { verdict, value };
}

function rankProcess(dir: string, host: string, port: number, rank: number) {
  const path = join(dir, `job${rank}.json`);
  writeFileSync(path, JSON.stringify({ config: SMALL_RUN_CONFIG, stage, freezeBatchNorm: false, batches: [], weightsPath: join(dir, `w${rank}.f32`),
    distributed: { host, port, worldSize: 2, rank, token: TOKEN, timeoutMs: 120_000 } }));
  const child = spawn(process.execPath, [stepsEntry, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const done = new Promise<{ code: number | null; output: string }>((resolve) => child.on('close', (code) => resolve({ code, output })));
  return { child, done };
}

for (const host of ['127.0.0.1', '::1']) {
  test(`rendezvous on ${host}: bound to that address only, closed to a client without the token`, { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'angio-rdzv-'));
    const port = await freePort(host);
    const rank0 = rankProcess(dir, host, port, 0);
    let listeners: Listener[] = [];
    while (listeners.length === 0 && rank0.child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 100));
      listeners = listenersOn(port);
    }
    assert.ok(listeners.length > 0, `rank 0 never listened on ${port}`);
    // Rank 0 waits for rank 1 here, so the store is up; nothing on this port may listen on a wildcard address.
    assert.deepEqual(listeners, [KERNEL_FORM[host]], `listeners on ${port}: ${JSON.stringify(listeners)}`);

    const stranger = await strangerTries(host, port);
    assert.ok(stranger.closed, 'the server must close a connection that does not prove the token');
    assert.ok(!stranger.received.includes('admitted'), `the stranger was admitted: ${stranger.received}`);

    const honest = await honestClient(host, port);
    assert.deepEqual(honest, { verdict: 'admitted', value: '1probe-value' }, 'a client with the token is served');

    const rank1 = rankProcess(dir, host, port, 1);
    const [a, b] = await Promise.all([rank0.done, rank1.done]);
    assert.equal(a.code, 0, `rank 0 failed after the stranger: ${a.output}`);
    assert.equal(b.code, 0, `rank 1 failed after the stranger: ${b.output}`);
    rmSync(dir, { recursive: true, force: true });
  });
}
