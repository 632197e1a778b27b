// Handlers for the ingest and library channels (src-preload/channels/ingest.ts) over one IngestService.
import type { AppContext, HandlerSlice } from '../app/index.ts';
import type { ingestInvokes, ingestPixels, ingestSends } from '../../src-preload/channels/ingest.ts';
import { methodDescription, type DeidOptions } from '../deid/index.ts';
import { requireImportFolder } from './folder-path.ts';
import { IngestService } from './service.ts';
import { dicomViewerFrame } from './viewer-frame.ts';

/** The options as the Reports screen's panel shows them: the three the user chooses, and (0012,0063) as they make it. */
function deidOptionsAnswer(options: DeidOptions): { retainLongitudinalModifiedDates: boolean; retainPatientCharacteristics: boolean; cleanDescriptors: boolean; method: string[] } {
  const { retainLongitudinalModifiedDates, retainPatientCharacteristics, cleanDescriptors } = options;
  return { retainLongitudinalModifiedDates, retainPatientCharacteristics, cleanDescriptors, method: methodDescription(options) };
}

export function ingestHandlers(ctx: AppContext, service = new IngestService(ctx)): HandlerSlice<typeof ingestInvokes, typeof ingestSends, typeof ingestPixels> {
  return {
    invoke: {
      'ingest.importFolder': ({ root, manifest, datasetFrames, reader }) => ({ jobId: service.importFolder({ root: requireImportFolder(root), manifest, datasetFrames, reader }) }),
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
      'deid.vault.get': () => service.vaultStatus(),
      'deid.vault.set': ({ enabled, reader }) => {
        service.setVaultEnabled(enabled, reader);
        return { enabled: service.vaultEnabled() };
      },
      'deid.options.get': () => deidOptionsAnswer(service.deidOptions()),
      'deid.options.set': ({ reader, ...options }) => deidOptionsAnswer(service.setDeidOptions(options, reader)),
      'deid.reidentify': ({ pseudonym, reader }) => ({ originals: service.reidentify(pseudonym, reader) }),
    },
    send: {},
    pixels: {
      'library.frame': async ({ instanceId, frame: index }) => {
        const { frame, image } = await service.frame(instanceId, index);
        const angio = service.instance(instanceId).angio;
        return dicomViewerFrame(frame, image, { frames: image.numberOfFrames, frameTimeMs: angio?.frameTimeMs ?? null });
      },
      'library.itemImage': ({ itemId }) => service.itemImage(itemId),
      'library.thumbnail': async ({ instanceId, itemId, size }) => {
        const thumb = await service.thumbnail(instanceId !== undefined ? { instanceId } : { itemId: itemId as number }, size);
        return { meta: { width: thumb.width, height: thumb.height, format: 'gray8' as const }, bytes: thumb.pixels };
      },
    },
  };
}
