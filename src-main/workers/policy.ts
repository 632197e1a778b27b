// Which jobs must never run on main's event loop: anything that can keep a core busy for more than a frame.
// They are started through WorkerJobs (worker-host.ts), never with ctx.jobs.start directly (checked by policy.test.ts).
export const WORKER_JOB_KINDS = ['training', 'batch-inference', 'inference', 'import', 'ingest', 'evaluation'] as const;
export type WorkerJobKind = (typeof WORKER_JOB_KINDS)[number];
