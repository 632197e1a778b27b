// The loopback host: serves the built renderer to a browser and carries the IPC contract (and the binary pixel
// path) over a WebSocket to the same services Electron would host. Bound to 127.0.0.1 with a random per-run token;
// a request without the token (or from another origin) is refused.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodePixelFrame } from '../../src-preload/pixel-frame.ts';
import type { EventBus } from './event-bus.ts';
import type { CallContext, IpcRegistry } from './registry.ts';
import { encodePixelAnswer, encodeServerMessage, parseClientMessage, UNKNOWN_REQUEST_ID, type ServerMessage } from '../../src-preload/loopback-protocol.ts';

export interface LoopbackHostOptions {
  registry: IpcRegistry;
  bus: EventBus;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The built bridge script (out/harness/bridge.js) that defines window.angio over the WebSocket. */
  bridgeFile: string;
  port?: number;
  log?: (message: string) => void;
}

export interface LoopbackHost {
  url: string;
  token: string;
  port: number;
  /** Sockets opened to this host, for tests that account for every connection. */
  readonly connectionCount: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};
const TOKEN_COOKIE = 'angio_token';
export const BRIDGE_PATH = '/__harness/bridge.js';

function tokenOf(request: IncomingMessage): string | null {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) return fromQuery;
  const cookie = request.headers.cookie ?? '';
  const match = cookie.split(';').map((part) => part.trim()).find((part) => part.startsWith(`${TOKEN_COOKIE}=`));
  return match ? match.slice(TOKEN_COOKIE.length + 1) : null;
}

export async function startLoopbackHost(options: LoopbackHostOptions): Promise<LoopbackHost> {
  const token = randomBytes(24).toString('hex');
  let connections = 0;
  let origin = '';

  async function serveStatic(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    if (tokenOf(request) !== token) {
      response.writeHead(401, { 'content-type': 'text/plain' }).end('missing or wrong harness token');
      return;
    }
    const headers: Record<string, string> = {
      'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    };
    if (url.pathname === BRIDGE_PATH) {
      response.writeHead(200, { ...headers, 'content-type': CONTENT_TYPES['.js']! }).end(await readFile(options.bridgeFile));
      return;
    }
    const relative = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(options.rendererDir, relative));
    if (!file.startsWith(options.rendererDir + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      let body: Buffer | string = await readFile(file);
      if (relative === 'index.html') {
        // The bridge must define window.angio before the renderer's module script runs: classic scripts in <head>
        // execute before deferred module scripts.
        body = body.toString('utf8').replace('<head>', `<head>\n    <script src="${BRIDGE_PATH}"></script>`);
      }
      response.writeHead(200, { ...headers, 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${url.pathname}`);
    }
  }

  const server = createServer((request, response) => {
    serveStatic(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  server.on('connection', () => connections++);

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname !== '/ipc' || tokenOf(request) !== token || request.headers.origin !== origin) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveSocket(ws));
  });

  function serveSocket(ws: WebSocket): void {
    const ctx: CallContext = { host: 'harness', origin };
    const reply = (message: ServerMessage) => ws.readyState === ws.OPEN && ws.send(encodeServerMessage(message));
    const unsubscribe = options.bus.subscribe((event, payload) => reply({ type: 'event', event, payload }));
    ws.on('close', unsubscribe);
    ws.on('message', (data, isBinary) => {
      const message = isBinary ? null : parseClientMessage(data.toString());
      if (!message) {
        reply({ type: 'result', id: UNKNOWN_REQUEST_ID, result: { ok: false, error: { code: 'invalid-input', message: 'Malformed harness message' } } });
        return;
      }
      if (message.type === 'send') {
        // One-way: there is no answer to carry, so a refused message is only logged.
        const result = options.registry.send(message.channel, message.payload, ctx);
        if (!result.ok) options.log?.(`refused ${message.channel}: ${result.error.message}`);
        return;
      }
      if (message.type === 'invoke') {
        void options.registry.invoke(message.channel, message.input, ctx).then((result) => reply({ type: 'result', id: message.id, result }));
        return;
      }
      void options.registry.pixels(message.route, message.params, ctx).then((result) => {
        if (!result.ok) return reply({ type: 'result', id: message.id, result });
        const packet = encodePixelAnswer(message.id, encodePixelFrame(result.value.meta, result.value.bytes));
        if (ws.readyState === ws.OPEN) ws.send(packet, { binary: true });
      });
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    token,
    port,
    get connectionCount() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
