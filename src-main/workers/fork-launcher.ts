// Worker processes under plain Node (the loopback harness, the CLI, tests): child_process.fork with an IPC channel.
// Inside Electron use the utilityProcess launcher instead: with the RunAsNode fuse off, fork cannot start Node.
import { fork } from 'node:child_process';
import type { FromWorker, WorkerLauncher } from './worker-protocol.ts';

export const forkLauncher: WorkerLauncher = (entry, name) => {
  const child = fork(entry, [], { serialization: 'advanced', execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, ANGIO_WORKER_NAME: name } });
  return {
    pid: child.pid,
    postMessage: (message) => void (child.connected && child.send(message)),
    onMessage: (listener) => void child.on('message', (message) => listener(message as FromWorker)),
    onExit: (listener) => void child.on('exit', (code, signal) => listener(code, signal)),
    kill: () => void child.kill('SIGKILL'),
  };
};
