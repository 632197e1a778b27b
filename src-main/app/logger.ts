// A size-rotated log file: main.log grows to `maxBytes`, then becomes main.log.1 (older ones shift up to
// main.log.<keep>, the oldest is dropped). Writes are small synchronous appends so nothing is lost on a crash.
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLevel } from './context.ts';

export interface RotatingLogOptions {
  dir: string;
  name?: string;
  maxBytes?: number;
  /** Rotated files kept besides the live one. */
  keep?: number;
  now?: () => Date;
}

export interface RotatingLog {
  readonly file: string;
  write(level: LogLevel, message: string): void;
}

export function openRotatingLog(options: RotatingLogOptions): RotatingLog {
  const { dir, name = 'main.log', maxBytes = 5 * 1024 * 1024, keep = 5, now = () => new Date() } = options;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    size = 0;
  }

  function rotate(): void {
    rmSync(`${file}.${keep}`, { force: true });
    for (let index = keep - 1; index >= 1; index--) {
      try {
        renameSync(`${file}.${index}`, `${file}.${index + 1}`);
      } catch {
        // that generation does not exist yet
      }
    }
    renameSync(file, `${file}.1`);
    size = 0;
  }

  return {
    file,
    write(level, message) {
      // Continuation lines are indented so every record starts with its timestamp (one grep finds a record).
      const line = `${now().toISOString()} ${level.toUpperCase().padEnd(5)} ${message.replace(/\r?\n/g, '\n    ')}\n`;
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > maxBytes) rotate();
      appendFileSync(file, line, { mode: 0o600 });
      size += bytes;
    },
  };
}
