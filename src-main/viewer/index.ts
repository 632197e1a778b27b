// The Viewer's service: folders opened for viewing and what they hold.
// Only what other folders use is exported here.
export { viewerHandlers } from './ipc.ts';
