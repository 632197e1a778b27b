// Composes every capability's handler slice into the registry. Spreads are explicit so that a channel added to the
// contract without a handler here fails type-checking (Handlers requires every channel).
import type { Handlers } from '../ipc/registry.ts';
import { ingestHandlers } from '../ingest/ipc.ts';
import { networkHandlers } from '../network/ipc.ts';
import { systemHandlers } from '../system/ipc.ts';
import { viewerHandlers } from '../viewer/ipc.ts';
import type { AppContext } from './context.ts';

export function composeHandlers(ctx: AppContext): Handlers {
  const system = systemHandlers(ctx);
  const network = networkHandlers(ctx);
  const ingest = ingestHandlers(ctx);
  const viewer = viewerHandlers(ctx);
  return {
    invoke: { ...system.invoke, ...ingest.invoke, ...network.invoke, ...viewer.invoke },
    send: { ...system.send, ...ingest.send, ...network.send, ...viewer.send },
    pixels: { ...system.pixels, ...ingest.pixels, ...network.pixels, ...viewer.pixels },
  };
}
