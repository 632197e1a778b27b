// Handlers for the reports channels (src-preload/channels/reports.ts) over one ReportsService.
import type { AppContext } from '../app/context.ts';
import type { HandlerSlice } from '../app/handler-slice.ts';
import type { reportsInvokes, reportsPixels, reportsSends } from '../../src-preload/channels/reports.ts';
import { IngestService } from '../ingest/service.ts';
import { InferenceService } from '../inference/inference-service.ts';
import { ReportsService } from './service.ts';

export function reportsHandlers(
  ctx: AppContext,
  service = new ReportsService({ store: ctx.store, dataDir: ctx.dataDir, ingest: new IngestService({ store: ctx.store, dataDir: ctx.dataDir, vaultKeyHolder: ctx.vaultKeyHolder }), inference: new InferenceService({ appRoot: ctx.appRoot }) }),
): HandlerSlice<typeof reportsInvokes, typeof reportsSends, typeof reportsPixels> {
  const finished = service.finishInterruptedExports();
  if (finished.placed.length > 0) ctx.log('info', `finished ${finished.placed.length} export file(s) a previous session was stopped while placing: ${finished.placed.join(', ')}`);
  return {
    invoke: {
      'reports.modes': () => service.modes(),
      'reports.studies': () => ({ studies: service.studies() }),
      'reports.findings': ({ studyId }) => ({ findings: service.findings(studyId) }),
      'reports.computeFindings': (request) => service.computeFindings(request),
      'reports.studyPdf': (request) => service.exportStudyPdf(request),
      'reports.studyDicom': (request) => service.exportStudyDicom(request),
      'reports.marksSr': (request) => service.exportStudyMarks(request),
      'reports.experimentPdf': (request) => service.exportExperimentPdf(request),
      'reports.predictionsCsv': (request) => service.exportPredictionsCsv(request),
    },
    send: {},
    pixels: {},
  };
}
