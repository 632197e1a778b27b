// The app's composition root and the pieces every capability's IPC slice names: the AppContext, the handler
// slice type, the data folders and the recent-items list. Only what other folders use is exported here.
export { type AppContext, closeAppContext, createAppContext, type LogLevel } from './context.ts';
export type { HandlerSlice } from './handler-slice.ts';
export { openRotatingLog } from './logger.ts';
export { defaultDataDir, projectRoot, sharedDataDir } from './paths.ts';
export { readRecent, rememberRecent } from './recent-list.ts';

export { type AppLog, openAppLog, uncaughtMessage, withoutForeignPaths } from './app-log.ts';
