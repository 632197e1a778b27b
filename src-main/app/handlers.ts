// Composes every capability's handler slice into the registry. Spreads are explicit so that a channel added to the
// contract without a handler here fails type-checking (Handlers requires every channel).
import type { Handlers } from '../ipc/registry.ts';
import { systemHandlers } from '../system/ipc.ts';
import type { AppContext } from './context.ts';

export function composeHandlers(ctx: AppContext): Handlers {
  const system = systemHandlers(ctx);
  return {
    invoke: { ...system.invoke },
    send: { ...system.send },
    pixels: { ...system.pixels },
  };
}
