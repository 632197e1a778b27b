// Handlers for the reports channels (src-preload/channels/reports.ts) over one ReportsService.
import type { AppContext, HandlerSlice } from '../app/index.ts';
import type { reportsInvokes, reportsPixels, reportsSends } from '../../src-preload/channels/reports.ts';
import { IngestService } from '../ingest/index.ts';
import { InferenceService } from '../inference/index.ts';
import { ReportsService } from './service.ts';

export function reportsHandlers(
  ctx: AppContext,
  service = new ReportsService({ store: ctx.store, dataDir: ctx.dataDir, ingest: new IngestService({ store: ctx.store, dataDir: ctx.dataDir, vaultKeyHolder: ctx.vaultKeyHolder }), inference: new InferenceService({ appRoot: ctx.appRoot }) }),
): HandlerSlice<typeof reportsInvokes, typeof reportsSends, typeof reportsPixels> {
  const finished = service.finishInterruptedExports();
  // The count only: export folders and file names can carry a patient's name, and the log lies outside the vault.
  if (finished.placed.length > 0) ctx.log('info', `finished ${finished.placed.length} export file(s) a previous session was stopped while placing (the audit log names their folders by source id)`);
  return {
    invoke: {
      'reports.modes': () => service.modes(),
      'reports.studies': () => ({ studies: service.studies() }),
      'reports.findings': ({ studyId }) => ({ findings: service.findings(studyId) }),
      'reports.computeFindings': (request) => service.computeFindings(request),
      'reports.studyPdf': (request) => service.exportStudyPdf(request),
      'reports.studyDicom': (request) => service.exportStudyDicom(request),
      'reports.marksSr': (request) => service.exportStudyMarks(request),
      'reports.qcaExport': (request) => service.exportStudyQca(request),
      'reports.experimentPdf': (request) => service.exportExperimentPdf(request),
      'reports.predictionsCsv': (request) => service.exportPredictionsCsv(request),
    },
    send: {},
    pixels: {},
  };
}
