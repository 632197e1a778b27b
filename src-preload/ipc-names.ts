// Wire names shared by the preload, Electron's main entry and the harness: the transport's only constants.
export const IPC_INVOKE = 'angio:invoke';
export const IPC_SEND = 'angio:send';
export const IPC_EVENT = 'angio:event';
export const PIXEL_SCHEME = 'angio';

/** URL of a pixel route: `<base>/<route>?params=<json>`; the same shape in Electron and the harness. */
export function pixelUrl(base: string, route: string, params: unknown, token?: string): string {
  const query = new URLSearchParams({ params: JSON.stringify(params) });
  if (token) query.set('token', token);
  return `${base}/${encodeURIComponent(route)}?${query.toString()}`;
}
