// The Training screen's "processes" setting: data-parallel ranks on this machine, kept in the configuration
// JSON as `processes` (the text stays the one source of truth) and checked in plain words before Start.
import { trainingInvokes } from '../../../src-preload/channels/training.ts';

const configSchema = trainingInvokes['training.start'].input.shape.config;

/** One process per core at most: more ranks than cores only take turns on them. */
export function coreCount(): number {
  const cores = typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency;
  return Math.max(1, Math.min(16, Number.isInteger(cores) ? cores : 1));
}

function configObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The processes the configuration asks for (1 when it leaves them out). */
export function processesIn(text: string): unknown {
  return configObject(text)?.processes ?? 1;
}

/** The configuration text with `processes` set, or null when the text is not a JSON object to set it in. */
export function withProcesses(text: string, processes: number): string | null {
  const config = configObject(text);
  if (!config) return null;
  return JSON.stringify({ ...config, processes }, null, 2);
}

/** Why `value` cannot be the run's processes, in words a person acts on; null when it can. */
export function processesProblem(value: unknown, configText: string, cores: number): string | null {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > cores) {
    return `Processes must be a whole number from 1 to ${cores} (this machine has ${cores} core${cores === 1 ? '' : 's'}).`;
  }
  const config = configObject(configText);
  if (!config) return 'Fix the configuration JSON first: the processes are set inside it.';
  const parsed = configSchema.safeParse({ ...config, processes: 1 });
  const batchSize = parsed.success ? parsed.data.batchSize : null;
  if (batchSize !== null && (batchSize % n !== 0 || batchSize / n < 2)) {
    return `A batch of ${batchSize} images does not split into ${n} equal shares of at least 2 images: choose a number of processes that divides ${batchSize}, or change batchSize.`;
  }
  return null;
}
