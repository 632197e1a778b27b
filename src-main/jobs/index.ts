// Long-running jobs with progress, cancellation and one result, as the channels and the CLI run them.
// Only what other folders use is exported here.
export { JobCancelled, type JobContext, JobRunner } from './job-runner.ts';
