import { Brackets, type EntityManager } from 'typeorm';
import type { DomainEventPayload, DomainEventType, EventEnvelope } from '../../shared/events.js';
import type { Tx } from '../db/database.js';
import { EventEntity, type EventRow } from './event.entity.js';
import type { EventBus, EventScope, PublishedEvent } from './event-bus.js';

/** Who is asking to replay the log: staff see everything; an operator their lines and their dialogs. */
export interface Viewer {
  userId: number;
  allLines: boolean;
  lineIds: number[];
  /** Dialogs outside their lines the viewer was invited to. */
  conversationIds: number[];
}

export class EventLog {
  constructor(private readonly bus: EventBus) {}

  /** Stores the event with the caller's transaction and publishes it once that transaction commits. */
  async append<T extends DomainEventType>(
    tx: Tx,
    type: T,
    payload: DomainEventPayload<T>,
    scope: EventScope,
    actorId: number | null = null,
  ): Promise<void> {
    const createdAt = Date.now();
    await tx.appendEvent({
      type, line_id: scope.lineId, conversation_id: scope.conversationId, assignee_id: scope.assigneeId, prev_assignee_id: scope.prevAssigneeId,
      actor_id: actorId, payload: JSON.stringify(payload), created_at: createdAt,
    }, (seq) => this.bus.publish({ ...toEnvelope({ seq, type, payload, createdAt } as EventRow), scope }));
  }

  /** Events after `afterSeq` that the viewer may see, oldest first. */
  async after(manager: EntityManager, viewer: Viewer, afterSeq: number, limit: number): Promise<EventEnvelope[]> {
    const q = manager.createQueryBuilder(EventEntity, 'e').where('e.seq > :afterSeq', { afterSeq });
    if (!viewer.allLines) {
      q.andWhere(
        new Brackets((w) => {
          w.where('e.assignee_id = :me', { me: viewer.userId }).orWhere('e.prev_assignee_id = :me', { me: viewer.userId });
          if (viewer.lineIds.length) w.orWhere('e.line_id IN (:...lines)', { lines: viewer.lineIds });
          if (viewer.conversationIds.length) w.orWhere('e.conversation_id IN (:...convs)', { convs: viewer.conversationIds });
        }),
      );
    }
    const rows = await q.orderBy('e.seq', 'ASC').limit(limit).getMany();
    return rows.map(toEnvelope);
  }

  /**
   * Committed events of the given types after `afterSeq`, oldest first, with their scope: how a node
   * follows changes committed on any node (the sequence order is the commit order, so reading on from
   * the last seq handled never skips one).
   */
  async since(manager: EntityManager, afterSeq: number, types: readonly DomainEventType[], limit: number): Promise<PublishedEvent[]> {
    const rows = await manager.createQueryBuilder(EventEntity, 'e')
      .where('e.seq > :afterSeq', { afterSeq })
      .andWhere('e.type IN (:...types)', { types })
      .orderBy('e.seq', 'ASC').limit(limit).getMany();
    return rows.map((row) => ({
      ...toEnvelope(row),
      scope: { lineId: numOrNull(row.lineId), conversationId: numOrNull(row.conversationId), assigneeId: numOrNull(row.assigneeId), prevAssigneeId: numOrNull(row.prevAssigneeId) },
    }));
  }

  async lastSeq(manager: EntityManager): Promise<number> {
    const r = await manager.createQueryBuilder(EventEntity, 'e').select('MAX(e.seq)', 'max').getRawOne<{ max: number | string | null }>();
    return Number(r?.max ?? 0);
  }
}

const numOrNull = (v: number | string | null) => (v === null ? null : Number(v));

function toEnvelope(row: EventRow): EventEnvelope {
  return { seq: Number(row.seq), type: row.type, at: new Date(Number(row.createdAt)).toISOString(), payload: row.payload } as EventEnvelope;
}
