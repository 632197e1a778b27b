// Electron's binary pixel path: angio://pixels/<route>?params=<json> answers the pixel frame envelope as raw bytes.
import { encodePixelFrame } from '../../src-preload/pixel-frame.ts';
import type { IpcRegistry } from '../ipc/index.ts';

export function pixelProtocolHandler(registry: IpcRegistry): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const route = decodeURIComponent(url.pathname.replace(/^\//, ''));
    let params: unknown;
    try {
      params = JSON.parse(url.searchParams.get('params') ?? 'null');
    } catch {
      params = undefined;
    }
    const result = await registry.pixels(route, params, { host: 'electron', origin: 'angio://pixels' });
    if (!result.ok) return Response.json(result.error, { status: 400 });
    const frame = encodePixelFrame(result.value.meta, result.value.bytes);
    return new Response(frame, { headers: { 'content-type': 'application/octet-stream' } });
  };
}
