// Handlers for the ingest and library channels (src-preload/channels/ingest.ts) over one IngestService.
import type { AppContext } from '../app/context.ts';
import type { HandlerSlice } from '../app/handler-slice.ts';
import type { ingestInvokes, ingestPixels, ingestSends } from '../../src-preload/channels/ingest.ts';
import { IngestService } from './service.ts';

type FrameFormat = 'gray8' | 'gray16' | 'grayS8' | 'grayS16' | 'rgb8' | 'rgb16';

export function ingestHandlers(ctx: AppContext, service = new IngestService(ctx)): HandlerSlice<typeof ingestInvokes, typeof ingestSends, typeof ingestPixels> {
  return {
    invoke: {
      'ingest.importFolder': ({ root, manifest, datasetFrames, reader }) => ({ jobId: service.importFolder({ root, manifest, datasetFrames, reader }) }),
      'ingest.importFiles': ({ paths, datasetFrames, reader }) => ({ jobId: service.importFiles(paths, { datasetFrames, reader }) }),
      'ingest.importLog': ({ jobId, outcomes }) => ({ entries: service.importLog(jobId, outcomes ?? null) as never }),
      'library.patients': () => ({ patients: service.patients() }),
      'library.studies': ({ patientId }) => ({ studies: service.studies(patientId) }),
      'library.series': ({ studyId }) => ({ series: service.series(studyId) }),
      'library.instances': ({ seriesId }) => ({ instances: service.instances(seriesId) as never }),
      'library.instance': ({ instanceId }) => {
        const { id, frames, pixel, angio, frameTimesMs } = service.instance(instanceId);
        return { id, frames, pixel, angio, frameTimesMs };
      },
      'library.datasetItems': (filter) => service.datasetItems(filter) as never,
      'deid.vault.get': () => ({ enabled: service.vaultEnabled() }),
      'deid.vault.set': ({ enabled, reader }) => {
        service.setVaultEnabled(enabled, reader);
        return { enabled: service.vaultEnabled() };
      },
      'deid.reidentify': ({ pseudonym, reader }) => ({ originals: service.reidentify(pseudonym, reader) }),
    },
    send: {},
    pixels: {
      'library.frame': async ({ instanceId, frame: index }) => {
        const { frame, image } = await service.frame(instanceId, index);
        const colour = frame.samplesPerPixel === 3;
        const format: FrameFormat = colour ? (frame.bitsAllocated === 8 ? 'rgb8' : 'rgb16') : `gray${frame.signed ? 'S' : ''}${frame.bitsAllocated}` as FrameFormat;
        const window = image.windows[0];
        const angio = service.instance(instanceId).angio as { frameTimeMs?: number | null } | null;
        return {
          meta: {
            width: frame.width,
            height: frame.height,
            format,
            bitsAllocated: frame.bitsAllocated,
            bitsStored: frame.bitsStored,
            photometric: frame.photometric,
            rescale: { slope: image.rescale.slope, intercept: image.rescale.intercept },
            window: window ? { center: window.center, width: window.width } : null,
            frames: image.numberOfFrames,
            frameTimeMs: angio?.frameTimeMs ?? null,
          },
          bytes: new Uint8Array(frame.pixels.buffer, frame.pixels.byteOffset, frame.pixels.byteLength),
        };
      },
      'library.thumbnail': async ({ instanceId, itemId, size }) => {
        const thumb = await service.thumbnail(instanceId !== undefined ? { instanceId } : { itemId: itemId as number }, size);
        return { meta: { width: thumb.width, height: thumb.height, format: 'gray8' as const }, bytes: thumb.pixels };
      },
    },
  };
}
