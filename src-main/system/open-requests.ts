// Files the operating system asked the app to open (a .dcm double-clicked, "Open with", a second launch with
// paths): kept until the renderer takes them, and announced to a renderer that is already running.
import { resolve } from 'node:path';
import type { EventBus } from '../ipc/index.ts';

export class OpenRequests {
  private pending: string[] = [];
  private readonly bus: EventBus;

  constructor(bus: EventBus) {
    this.bus = bus;
  }

  push(paths: readonly string[]): void {
    const fresh = paths.map((path) => resolve(path)).filter((path) => !this.pending.includes(path));
    if (fresh.length === 0) return;
    this.pending.push(...fresh);
    this.bus.emit('system.openFiles', { paths: [...this.pending] });
  }

  /** The waiting paths, handed over once (the renderer imports them). */
  take(): string[] {
    return this.pending.splice(0);
  }
}

/** Paths asked for before the services exist (argv, macOS open-file at launch), forwarded once they do. */
export class OpenRequestInbox {
  private early: string[] = [];
  private target: OpenRequests | null = null;

  push(paths: readonly string[]): void {
    if (this.target) this.target.push(paths);
    else this.early.push(...paths);
  }

  connect(target: OpenRequests): void {
    this.target = target;
    target.push(this.early.splice(0));
  }
}
