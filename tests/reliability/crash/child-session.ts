// A crash-test child: a Node process running one of the *-child.ts sessions, its stdout read line by line, killed
// with SIGKILL when the test decides, at once when it announces that it holds at its kill point (hold.ts), or when it
// outlives its time bound (a hang, not a kill point).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { shuffleInPlace, type SeededRandom } from '../../../src-main/random/seeded-random.ts';

export interface ChildSession {
  child: ChildProcess;
  /** Resolves once the process has exited and every line it wrote before has been handed to onLine. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
  /** The last 2,000 characters of its stderr: what to show when it ended by itself. */
  stderr(): string;
  /** True when the time bound, not the test, killed it (a hang). */
  timedOut(): boolean;
  /** Where the child said it held for the kill (`hold <where>`), or null when it never did. */
  heldAt(): string | null;
}

/**
 * Starts `script` (a file in this folder) with `args`, under `wrap` when given (strace, for fault injection);
 * `maxRunMs` kills it whatever it is doing. Its own process group, so a kill reaches a wrapped child too.
 */
export function startChildSession(script: string, args: string[], onLine: (line: string, session: ChildSession) => void, maxRunMs: number, wrap: string[] = []): ChildSession {
  const command = [...wrap, process.execPath, join(import.meta.dirname, script), ...args];
  const child = spawn(command[0] as string, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let pending = '';
  let stderr = '';
  let timedOut = false;
  let heldAt: string | null = null;
  const session: ChildSession = {
    child,
    // 'close', not 'exit': the last lines the child wrote before the kill must be read first.
    closed: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal }))),
    kill: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        child.kill('SIGKILL'); // the group is gone already; the process itself may not be
      }
    },
    stderr: () => stderr,
    timedOut: () => timedOut,
    heldAt: () => heldAt,
  };
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('hold ') && heldAt === null) {
        heldAt = line.slice(5);
        session.kill();
      }
      onLine(line, session);
    }
  });
  const timer = setTimeout(() => {
    timedOut = true;
    session.kill();
  }, maxRunMs);
  void session.closed.then(() => clearTimeout(timer));
  return session;
}

/** Each item once per block of `count` picks, in a seeded order: any run of at least that many rounds has them all. */
export function balancedSchedule<T>(items: readonly T[], count: number, random: SeededRandom): T[] {
  const schedule: T[] = [];
  while (schedule.length < count) schedule.push(...shuffleInPlace([...items], random));
  return schedule.slice(0, count);
}

/** Zero counts for each key: a campaign's kills by phase. */
export const zeroCounts = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
