// What the app knows about its host: system info and files the OS asks it to open.
// Only what other folders use is exported here.
export { systemHandlers } from './ipc.ts';
export { OpenRequestInbox, OpenRequests } from './open-requests.ts';
export { readSystemInfo } from './system-info.ts';
