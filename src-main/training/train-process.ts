// Standalone process entry (crash/resume tests, scripted runs): `node train-process.ts job.json`. Prints one JSON
// line per progress event and a final {"type":"result"} line; SIGTERM/SIGINT cancel at the next step.
import { readFileSync } from 'node:fs';
import { executeRun, type RunJob } from './run-job.ts';

const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as RunJob;
const controller = new AbortController();
process.on('SIGTERM', () => controller.abort());
process.on('SIGINT', () => controller.abort());
try {
  const result = await executeRun(job, controller.signal, (progress) => console.log(JSON.stringify({ type: 'progress', progress })));
  console.log(JSON.stringify({ type: 'result', result }));
} catch (error) {
  const e = error as Error & { code?: string };
  console.log(JSON.stringify({ type: 'error', error: { code: e.code ?? 'internal', message: e.message } }));
  process.exitCode = 1;
}
