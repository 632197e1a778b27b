// Handlers for the QCA channels (src-preload/channels/qca.ts) over one QcaService on the app's catalog.
import type { AppContext, HandlerSlice } from '../app/index.ts';
import type { qcaInvokes } from '../../src-preload/channels/qca.ts';
import { QcaService } from './service.ts';

export function qcaHandlers(ctx: AppContext, service = new QcaService(ctx)): HandlerSlice<typeof qcaInvokes> {
  return {
    invoke: {
      'qca.measure': async ({ instanceId, frame, start, end, waypoints, calibration, referenceOverride }) => ({ measurement: await service.measure({ instanceId, frame, start, end, waypoints, calibration, referenceOverride }) }),
      'qca.edit': ({ measurement, moves, referenceOverride }) => ({ measurement: service.edit(measurement, moves, referenceOverride) }),
      'qca.suggestFrame': ({ instanceId }) => service.suggestFrame(instanceId),
      'qca.save': ({ instanceId, measurement, reader }) => ({ saved: service.save(instanceId, measurement, reader) }),
      'qca.list': ({ instanceId }) => ({ measurements: service.list(instanceId === undefined ? {} : { instanceId }) }),
      'qca.delete': ({ id, reader }) => (service.remove(id, reader), { deleted: true as const }),
    },
    send: {},
    pixels: {},
  };
}
