// Handlers for the viewer channels (src-preload/channels/viewer.ts): folder choice, instance context, overlays,
// ECG, the series' pixel masks (Clean Pixel Data) and "use this frame", over one ViewerService on the app's catalog.
import type { AppContext, HandlerSlice } from '../app/index.ts';
import type { viewerInvokes, viewerPixels, viewerSends } from '../../src-preload/channels/viewer.ts';
import { AnnotationService } from '../annotations/index.ts';
import { seriesPixelCleaning } from '../deid/index.ts';
import { listFolder, recentFolders, rememberFolder } from './folders.ts';
import { ViewerService } from './service.ts';

export function viewerHandlers(ctx: AppContext, service = new ViewerService(ctx)): HandlerSlice<typeof viewerInvokes, typeof viewerSends, typeof viewerPixels> {
  // Saving masks recuts the patches already made from the series (they must not keep what the masks hide).
  const annotations = new AnnotationService(ctx);
  return {
    invoke: {
      'viewer.folders.recent': () => ({ folders: recentFolders(ctx.store) }),
      'viewer.folders.remember': ({ path }) => ({ folders: rememberFolder(ctx.store, path) }),
      'viewer.folders.list': ({ path }) => listFolder(path ?? ctx.sharedDataDir),
      'viewer.instanceContext': ({ instanceId }) => service.context(instanceId),
      'viewer.ecg': ({ instanceId }) => ({ ecg: service.ecg(instanceId) }),
      'viewer.pixelMasks': ({ seriesId }) => seriesPixelCleaning(ctx.store, seriesId),
      'viewer.setPixelMasks': async ({ seriesId, masks, reader }) => {
        await annotations.setSeriesMasks(seriesId, masks, reader);
        return seriesPixelCleaning(ctx.store, seriesId);
      },
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
