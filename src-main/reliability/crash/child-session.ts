// A crash-test child: a Node process running one of the *-child.ts sessions, its stdout read line by line, killed
// with SIGKILL when the test decides (or when it outlives its time bound).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ChildSession {
  child: ChildProcess;
  /** Resolves once the process has exited and every line it wrote before has been handed to onLine. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
  /** The last 2,000 characters of its stderr: what to show when it ended by itself. */
  stderr(): string;
  /** True when the time bound, not the test, killed it (a hang). */
  timedOut(): boolean;
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
  };
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line, session);
  });
  const timer = setTimeout(() => {
    timedOut = true;
    session.kill();
  }, maxRunMs);
  void session.closed.then(() => clearTimeout(timer));
  return session;
}

/** Zero counts for each key: a campaign's kills by phase. */
export const zeroCounts = <K extends string>(keys: readonly K[]): Record<K, number> => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
