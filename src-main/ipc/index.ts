// The IPC kernel every capability builds on: typed errors (AppError), the handler registry, the event bus and the
// loopback host. Only what other folders use is exported here.
export { AppError, issueDetails, toIpcError } from './app-error.ts';
export { EventBus } from './event-bus.ts';
export { type CallContext, createIpcRegistry, type Handlers, type InvokeHandlers, type IpcRegistry, type PixelHandlers, type SendHandlers } from './registry.ts';

