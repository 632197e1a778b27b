// Handlers for the system channels (system info, self-check job, job cancel, renderer log, test pattern).
import { runSelfCheck, testPattern } from '../diagnostics/index.ts';
import type { AppContext, HandlerSlice } from '../app/index.ts';
import type { systemInvokes, systemPixels, systemSends } from '../../src-preload/channels/system.ts';
import { readSystemInfo } from './system-info.ts';

export function systemHandlers(ctx: AppContext): HandlerSlice<typeof systemInvokes, typeof systemSends, typeof systemPixels> {
  return {
    invoke: {
      'system.info': () => readSystemInfo(ctx),
      'diagnostics.start': ({ delayMs }) => ({
        jobId: ctx.jobs.start('diagnostics', (job) => runSelfCheck(ctx, job, delayMs)),
      }),
      'jobs.cancel': ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
      'jobs.restart': ({ jobId }) => ({ jobId: ctx.jobs.restart(jobId) }),
      'system.openRequests': () => ({ paths: ctx.openRequests.take() }),
    },
    send: {
      'renderer.log': ({ level, message }) => ctx.log(level, `renderer: ${message}`),
    },
    pixels: {
      'diagnostics.testPattern': ({ width, height }) => {
        const pixels = testPattern(width, height);
        return { meta: { width, height, format: 'gray16' as const }, bytes: new Uint8Array(pixels.buffer) };
      },
    },
  };
}
