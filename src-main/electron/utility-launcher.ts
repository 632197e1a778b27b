// Worker processes inside Electron: utilityProcess.fork (a Node-enabled child that works with the RunAsNode fuse
// off and can load its module from app.asar). main.ts passes Electron's utilityProcess in, so this file stays testable.
import type { UtilityProcess, ForkOptions } from 'electron';
import type { WorkerLauncher } from '../workers/index.ts';

type Fork = (modulePath: string, args?: string[], options?: ForkOptions) => UtilityProcess;

export function utilityProcessLauncher(fork: Fork): WorkerLauncher {
  return <In, Out>(entry: string, name: string, env?: Record<string, string>) => {
    // Electron's env replaces the environment rather than adding to it.
    const child = fork(entry, [], { serviceName: name, stdio: 'inherit', ...(env && { env: { ...process.env, ...env } }) });
    let exited = false;
    child.on('exit', () => (exited = true));
    return {
      get pid() {
        return child.pid;
      },
      postMessage: (message: In) => void (!exited && child.postMessage(message)),
      onMessage: (listener: (message: Out) => void) => void child.on('message', (message: unknown) => listener(message as Out)),
      // A utility process reports only an exit code; a crash is a non-zero code (or the 'crashed' reason in logs).
      onExit: (listener: (code: number | null, signal: string | null) => void) => void child.on('exit', (code: number) => listener(code, null)),
      kill: () => void (!exited && child.kill()),
    };
  };
}
