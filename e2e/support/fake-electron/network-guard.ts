// Makes this Node process's network "unreachable" and records every socket it tries to open: TCP/TLS connects
// (net.Socket.prototype.connect, which http, https, fetch/undici and ws all reach), UDP sends and DNS look-ups.
// Loopback and local IPC paths go through; anything else (a configured DICOM peer included: the network is down) is
// recorded, marked allowed only when it is a configured peer, and fails with ENETUNREACH without a packet sent.
import dgram from 'node:dgram';
import diagnostics from 'node:diagnostics_channel';
import dns from 'node:dns';
import net from 'node:net';

export interface SocketAttempt {
  kind: 'tcp' | 'ipc' | 'udp' | 'dns';
  host: string;
  port: number | null;
  allowed: boolean;
  stack: string;
}

const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost', 'ip6-loopback']);

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (LOOPBACK_NAMES.has(bare)) return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

function unreachable(host: string, port: number | null): NodeJS.ErrnoException {
  return Object.assign(new Error(`connect ENETUNREACH ${host}${port === null ? '' : `:${port}`} (the network is unreachable in this test)`), { code: 'ENETUNREACH', errno: -101, syscall: 'connect' });
}

/**
 * `peers` are the DICOM peers the user configured ("host:port"): the only non-loopback destinations allowed.
 * Returns the live list of attempts and a function that removes the guard.
 */
export function installNetworkGuard(peers: readonly string[] = []): { attempts: SocketAttempt[]; unseenSockets: () => number; uninstall(): void } {
  const attempts: SocketAttempt[] = [];
  const seen = new WeakSet<object>();
  const created: WeakRef<object>[] = [];
  const allowedPeer = (host: string, port: number | null) => peers.includes(`${host}:${port}`);
  /** Records the attempt; true when it stays on this machine (and may really happen). */
  const record = (kind: SocketAttempt['kind'], host: string, port: number | null): boolean => {
    const local = kind === 'ipc' || isLoopback(host);
    const allowed = local || allowedPeer(host, port) || (kind === 'dns' && peers.some((peer) => peer.startsWith(`${host}:`)));
    attempts.push({ kind, host, port, allowed, stack: new Error().stack?.split('\n').slice(3, 9).join('\n') ?? '' });
    return local;
  };

  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    seen.add(this);
    const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as unknown;
    let host = 'localhost';
    let port: number | null = null;
    let path: string | null = null;
    if (typeof first === 'object' && first !== null) {
      const options = first as { host?: string; port?: number | string; path?: string };
      if (options.path) path = options.path;
      host = options.host ?? 'localhost';
      port = options.port === undefined ? null : Number(options.port);
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      port = Number(first);
      if (typeof args[1] === 'string') host = args[1];
    } else if (typeof first === 'string') {
      path = first;
    }
    if (path !== null ? record('ipc', path, null) : record('tcp', host, port)) return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
    process.nextTick(() => this.destroy(unreachable(host, port)));
    return this;
  } as typeof net.Socket.prototype.connect;

  const originalSend = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function guardedSend(this: dgram.Socket, ...args: unknown[]) {
    const port = args.find((arg, index) => index > 0 && typeof arg === 'number') as number | undefined;
    const host = (args.find((arg, index) => index > 1 && typeof arg === 'string') as string | undefined) ?? 'localhost';
    if (record('udp', host, port ?? null)) return (originalSend as (...a: unknown[]) => void).apply(this, args);
    const callback = args.at(-1);
    if (typeof callback === 'function') process.nextTick(() => callback(unreachable(host, port ?? null)));
  } as typeof dgram.Socket.prototype.send;

  const originalLookup = dns.lookup;
  const guardedLookup = function (hostname: string, ...rest: unknown[]) {
    const callback = rest.at(-1) as (error: Error | null, ...values: unknown[]) => void;
    if (record('dns', hostname, null)) return (originalLookup as (...a: unknown[]) => void)(hostname, ...rest);
    process.nextTick(() => callback(Object.assign(new Error(`getaddrinfo EAI_AGAIN ${hostname} (no network in this test)`), { code: 'EAI_AGAIN' })));
  } as typeof dns.lookup;
  dns.lookup = guardedLookup;
  const originalPromiseLookup = dns.promises.lookup;
  dns.promises.lookup = (async (hostname: string, options?: unknown) => {
    if (!record('dns', hostname, null)) throw Object.assign(new Error(`getaddrinfo EAI_AGAIN ${hostname} (no network in this test)`), { code: 'EAI_AGAIN' });
    return originalPromiseLookup(hostname, options as dns.LookupOptions);
  }) as typeof dns.promises.lookup;

  // Cross-check: every client socket Node creates must have gone through the guarded connect.
  const onSocket = (message: unknown) => created.push(new WeakRef((message as { socket: object }).socket));
  diagnostics.subscribe('net.client.socket', onSocket);

  return {
    attempts,
    unseenSockets: () => created.map((ref) => ref.deref()).filter((socket) => socket && !seen.has(socket)).length,
    uninstall() {
      net.Socket.prototype.connect = originalConnect;
      dgram.Socket.prototype.send = originalSend;
      dns.lookup = originalLookup;
      dns.promises.lookup = originalPromiseLookup;
      diagnostics.unsubscribe('net.client.socket', onSocket);
    },
  };
}
