// Main → renderer events: validated against the contract before they leave, fanned out to every host's listeners.
import { eventChannels, type EventChannel, type EventPayload } from '../../src-preload/contract.ts';

export type EventListener = (event: EventChannel, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<K extends EventChannel>(event: K, payload: EventPayload<K>): void {
    const parsed = eventChannels[event].safeParse(payload);
    if (!parsed.success) throw new Error(`refusing to emit malformed ${event}: ${parsed.error.message}`);
    for (const listener of this.listeners) listener(event, parsed.data);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
