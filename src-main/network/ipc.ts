// Handlers for the media and network channels. The service is built once per AppContext; received and media files
// go through ingest's import path (IngestService.runImport) via ingestThroughService.
import { join } from 'node:path';
import type { networkInvokes, networkPixels, networkSends } from '../../src-preload/channels/network.ts';
import type { AppContext, HandlerSlice } from '../app/index.ts';
import { IngestService } from '../ingest/index.ts';
import { ingestThroughService } from './ingest-adapter.ts';
import { NetworkService } from './service.ts';

const services = new WeakMap<AppContext, NetworkService>();

/** The context's network service (created on first use; the receiver resumes if the user left it on). */
export function networkService(ctx: AppContext): NetworkService {
  let service = services.get(ctx);
  if (!service) {
    const ingest = new IngestService({ store: ctx.store, dataDir: ctx.dataDir, bus: ctx.bus, jobs: ctx.jobs, vaultKeyHolder: ctx.vaultKeyHolder });
    service = new NetworkService({
      store: ctx.store,
      dataDir: ctx.dataDir,
      bus: ctx.bus,
      jobs: ctx.jobs,
      ingestFile: ingestThroughService(ingest, join(ctx.dataDir, 'network', 'staging')),
      sourceName: (path) => ingest.sourceNameFor(path),
      log: ctx.log,
    });
    services.set(ctx, service);
    void service.resume();
  }
  return service;
}

export function networkHandlers(ctx: AppContext): HandlerSlice<typeof networkInvokes, typeof networkSends, typeof networkPixels> {
  const network = networkService(ctx);
  return {
    invoke: {
      'media.scan': ({ path }) => network.scanMedia(path),
      'media.import': ({ path, selection }) => network.startMediaImport(path, selection),
      'network.settings.get': () => network.settings(),
      'network.settings.update': (patch) => network.updateSettings(patch),
      'network.receiver.status': () => network.receiverStatus(),
      'network.receiver.start': () => network.startReceiver(),
      'network.receiver.stop': () => network.stopReceiver(),
      'network.echo': (target) => network.echo(target),
      'network.query.start': (query) => network.startQuery(query),
      'network.retrieve.start': ({ studyInstanceUids, method }) => network.startRetrieve(studyInstanceUids, method),
      'network.send.start': ({ files }) => network.startSend(files),
      'network.transfers.list': ({ limit, direction }) => ({ transfers: network.listTransfers({ limit, direction }) }),
    },
    send: {},
    pixels: {},
  };
}
