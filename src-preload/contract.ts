// The one IPC contract: every channel between renderer and main, declared once with zod schemas.
// Each capability declares its channels in channels/<capability>.ts; this file merges them. The preload API,
// main's handler registry and the harness bridge are all derived from these four tables.
import type { z } from 'zod';
import { annotationsInvokes } from './channels/annotations.ts';
import { qcaInvokes } from './channels/qca.ts';
import { datasetEvents, datasetInvokes, datasetPixels, datasetSends } from './channels/dataset.ts';
import { ingestEvents, ingestInvokes, ingestPixels, ingestSends } from './channels/ingest.ts';
import { systemEvents, systemInvokes, systemPixels, systemSends } from './channels/system.ts';
import { inferenceInvokes, inferencePixels } from './channels/inference.ts';
import { networkEvents, networkInvokes, networkPixels, networkSends } from './channels/network.ts';
import { trainingEvents, trainingInvokes, trainingPixels, trainingSends } from './channels/training.ts';
import { viewerEvents, viewerInvokes, viewerPixels, viewerSends } from './channels/viewer.ts';
import { reportsEvents, reportsInvokes, reportsPixels, reportsSends } from './channels/reports.ts';

export * from './contract-base.ts';
export { SystemInfoSchema, type SystemInfo } from './channels/system.ts';
export { JobFinishedSchema, jobResult, jobResults, type JobFinished, type JobKind, type JobResult } from './channels/jobs.ts';

/** Request/response channels: renderer asks, main answers with Result<output>. */
export const invokeChannels = { ...systemInvokes, ...inferenceInvokes, ...ingestInvokes, ...trainingInvokes, ...networkInvokes, ...viewerInvokes, ...datasetInvokes, ...reportsInvokes, ...annotationsInvokes, ...qcaInvokes } as const;
/** One-way renderer → main messages (no answer). */
export const sendChannels = { ...systemSends, ...ingestSends, ...trainingSends, ...networkSends, ...viewerSends, ...datasetSends, ...reportsSends } as const;
/** Main → renderer event streams; long jobs are keyed by jobId. */
export const eventChannels = { ...systemEvents, ...ingestEvents, ...trainingEvents, ...networkEvents, ...viewerEvents, ...datasetEvents, ...reportsEvents } as const;
/** Binary pixel routes: JSON parameters in; a small JSON meta plus raw bytes out (never JSON pixels). */
export const pixelRoutes = { ...systemPixels, ...inferencePixels, ...ingestPixels, ...trainingPixels, ...networkPixels, ...viewerPixels, ...datasetPixels, ...reportsPixels } as const;

export type InvokeChannel = keyof typeof invokeChannels;
export type SendChannel = keyof typeof sendChannels;
export type EventChannel = keyof typeof eventChannels;
export type PixelRoute = keyof typeof pixelRoutes;

export type InvokeInput<K extends InvokeChannel> = z.input<(typeof invokeChannels)[K]['input']>;
export type InvokeParsedInput<K extends InvokeChannel> = z.output<(typeof invokeChannels)[K]['input']>;
export type InvokeOutput<K extends InvokeChannel> = z.output<(typeof invokeChannels)[K]['output']>;
export type SendPayload<K extends SendChannel> = z.output<(typeof sendChannels)[K]>;
export type EventPayload<K extends EventChannel> = z.output<(typeof eventChannels)[K]>;
export type PixelParams<K extends PixelRoute> = z.output<(typeof pixelRoutes)[K]['params']>;
export type PixelMeta<K extends PixelRoute> = z.output<(typeof pixelRoutes)[K]['meta']>;

