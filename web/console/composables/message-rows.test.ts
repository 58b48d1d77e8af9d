import { describe, expect, it } from 'vitest';
import { msg } from '../testing/fixtures';
import { buildRows } from './message-rows';

describe('buildRows', () => {
  it('starts with a top marker, marks the first message of each day, ends with pending', () => {
    const rows = buildRows(
      [
        msg({ id: 1, createdAt: '2024-05-01T10:00:00' }),
        msg({ id: 2, createdAt: '2024-05-01T11:00:00' }),
        msg({ id: 3, createdAt: '2024-05-02T09:00:00' }),
      ],
      [{ tempId: 'tmp-1', mode: 'reply', text: 'x', attachments: [], state: 'sending', error: null, createdAt: '' }],
    );
    expect(rows.map((r) => r.key)).toEqual(['top', 'm1', 'm2', 'm3', 'tmp-1']);
    const days = rows.flatMap((r) => (r.type === 'message' ? [r.day !== null] : []));
    expect(days).toEqual([true, false, true]);
  });
});
