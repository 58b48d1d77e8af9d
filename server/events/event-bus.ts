import { EventEmitter } from 'node:events';
import type { EventEnvelope } from '../../shared/events.js';

/** Who may see an event: members of the line, the assignee (now and before), staff. */
export interface EventScope {
  lineId: number | null;
  conversationId: number | null;
  assigneeId: number | null;
  prevAssigneeId: number | null;
}

export type PublishedEvent = EventEnvelope & { scope: EventScope };

/**
 * Carries committed domain events to their listeners (realtime, outbox, routing). The one seam
 * between the core and its side effects: services never call a listener directly.
 */
export class EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(50);

  publish(event: PublishedEvent): void {
    this.emitter.emit('event', event);
  }

  subscribe(listener: (event: PublishedEvent) => void): () => void {
    const safe = (e: PublishedEvent) => {
      try {
        listener(e);
      } catch (err) {
        this.emitter.emit('listener-error', err, e);
      }
    };
    this.emitter.on('event', safe);
    return () => this.emitter.off('event', safe);
  }

  onListenerError(fn: (err: unknown, event: PublishedEvent) => void): void {
    this.emitter.on('listener-error', fn);
  }
}
