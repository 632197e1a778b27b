// Handlers for the viewer channels (src-preload/channels/viewer.ts): folder choice, instance context, overlays,
// ECG and "use this frame", over one ViewerService on the app's catalog.
import type { AppContext } from '../app/context.ts';
import type { HandlerSlice } from '../app/handler-slice.ts';
import type { viewerInvokes, viewerPixels, viewerSends } from '../../src-preload/channels/viewer.ts';
import { listFolder, recentFolders, rememberFolder } from './folders.ts';
import { ViewerService } from './service.ts';

export function viewerHandlers(ctx: AppContext, service = new ViewerService(ctx)): HandlerSlice<typeof viewerInvokes, typeof viewerSends, typeof viewerPixels> {
  return {
    invoke: {
      'viewer.folders.recent': () => ({ folders: recentFolders(ctx.store) }),
      'viewer.folders.remember': ({ path }) => ({ folders: rememberFolder(ctx.store, path) }),
      'viewer.folders.list': ({ path }) => listFolder(path ?? ctx.sharedDataDir),
      'viewer.instanceContext': ({ instanceId }) => service.context(instanceId),
      'viewer.ecg': ({ instanceId }) => ({ ecg: service.ecg(instanceId) }),
      'viewer.useFrame': ({ instanceId, frame, reader }) => service.useFrame(instanceId, frame, reader),
    },
    send: {},
    pixels: {
      'viewer.overlay': ({ instanceId, group }) => {
        const plane = service.overlay(instanceId, group);
        return {
          meta: { width: plane.width, height: plane.height, format: 'gray8' as const, originRow: plane.originRow, originColumn: plane.originColumn },
          bytes: plane.pixels,
        };
      },
    },
  };
}
