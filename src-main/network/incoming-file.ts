// One data set arriving over DIMSE (C-STORE to the receiver, or a C-GET sub-operation): streamed straight to a
// temporary Part 10 file in its own folder, renamed when complete, deleted when anything goes wrong.
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { AppError } from '../ipc/index.ts';
import { fileMetaHeader, type FileMetaValues } from './part10.ts';

export interface IncomingFile {
  dir: string | null;
  partPath: string | null;
  stream: Writable;
  /** Why the data set is being discarded rather than kept (a class we do not accept). */
  refused: string | null;
  writeError: Error | null;
  /** All bytes are on disk (the stream closed). */
  complete: boolean;
}

/** Opens `<incomingDir>/<uuid>/instance.dcm.part` and writes the file meta; the data set bytes follow as they arrive. */
export function openIncomingFile(incomingDir: string, meta: FileMetaValues): IncomingFile {
  const dir = join(incomingDir, randomUUID());
  mkdirSync(dir, { recursive: true });
  const partPath = join(dir, 'instance.dcm.part');
  const stream = createWriteStream(partPath, { highWaterMark: 4 << 20 });
  const entry: IncomingFile = { dir, partPath, stream, refused: null, writeError: null, complete: false };
  stream.on('error', (error) => (entry.writeError = error));
  stream.write(fileMetaHeader(meta));
  return entry;
}

/** A sink for a data set we will answer with a refusal; its bytes go nowhere. */
export function refusedIncoming(reason: string): IncomingFile {
  return {
    dir: null,
    partPath: null,
    stream: new Writable({ write: (_chunk, _encoding, next) => next() }),
    refused: reason,
    writeError: null,
    complete: false,
  };
}

/** Calls back once the stream has closed (the file descriptor too), or failed. */
export function whenWritten(entry: IncomingFile | null, writable: Writable, callback: () => void): void {
  let called = false;
  const done = (): void => {
    if (called) return;
    called = true;
    if (entry) entry.complete = true;
    callback();
  };
  if (writable.closed || writable.destroyed) done();
  else {
    writable.once('close', done);
    writable.once('error', done);
  }
}

/** Renames the finished part file; the caller ingests it and then calls discardIncoming. */
export function completeIncoming(entry: IncomingFile): { path: string; bytes: number } {
  if (entry.writeError) {
    throw new AppError('network-disk', `Could not write a received instance to disk: ${entry.writeError.message}. Free some disk space.`);
  }
  const path = join(entry.dir as string, 'instance.dcm');
  renameSync(entry.partPath as string, path);
  return { path, bytes: statSync(path).size };
}

export function discardIncoming(entry: IncomingFile): void {
  if (!entry.complete) entry.stream.destroy();
  if (entry.dir) rmSync(entry.dir, { recursive: true, force: true });
}
