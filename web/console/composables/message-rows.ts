/** Rows of the virtualized thread: a top marker, messages (with day separators) and pending sends. */
import type { MessageDto } from '../../../shared/conversations';
import type { PendingMessage } from '../stores/messages';
import { dayKey } from './format';

export type MessageRow =
  | { key: string; type: 'top' }
  | { key: string; type: 'message'; message: MessageDto; day: string | null }
  | { key: string; type: 'pending'; pending: PendingMessage };

export function buildRows(items: readonly MessageDto[], pending: readonly PendingMessage[]): MessageRow[] {
  const rows: MessageRow[] = [{ key: 'top', type: 'top' }];
  let lastDay = '';
  for (const message of items) {
    const day = dayKey(message.createdAt);
    rows.push({ key: `m${message.id}`, type: 'message', message, day: day !== lastDay ? message.createdAt : null });
    lastDay = day;
  }
  for (const p of pending) rows.push({ key: p.tempId, type: 'pending', pending: p });
  return rows;
}
