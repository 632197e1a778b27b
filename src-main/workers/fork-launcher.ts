// Worker processes under plain Node (the loopback harness, the CLI, tests): child_process.fork with an IPC channel.
// Inside Electron use the utilityProcess launcher instead: with the RunAsNode fuse off, fork cannot start Node.
import { fork, type Serializable } from 'node:child_process';
import type { WorkerLauncher } from './worker-protocol.ts';

export const forkLauncher: WorkerLauncher = <In, Out>(entry: string, name: string, env: Record<string, string> = {}) => {
  const child = fork(entry, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ...env, ANGIO_WORKER_NAME: name } });
  return {
    pid: child.pid,
    postMessage: (message: In) => void (child.connected && child.send(message as Serializable)),
    onMessage: (listener: (message: Out) => void) => void child.on('message', (message) => listener(message as Out)),
    onExit: (listener: (code: number | null, signal: string | null) => void) => void child.on('exit', (code, signal) => listener(code, signal)),
    kill: () => void child.kill('SIGKILL'),
  };
};
