import { describe, expect, it } from 'vitest';
import type { CannedAnswerDto } from '../../../shared/canned';
import { fillPlaceholders, insertAt, searchCanned, slashQuery } from './canned';

const a = (id: number, shortcut: string, text: string, lineId: number | null = null): CannedAnswerDto => ({ id, shortcut, text, lineId });
const items = [a(1, 'hello', 'Hello {{contact.name}}!'), a(2, 'shipping', 'We ship in 2 days', 7), a(3, 'bye', 'Say hello to the team'), a(4, 'refund', 'Refunds take a week', 8)];

describe('canned answers', () => {
  it('spots a slash at the start of a word only', () => {
    expect(slashQuery('/he', 3)).toEqual({ start: 0, query: 'he' });
    expect(slashQuery('Hi /sh', 6)).toEqual({ start: 3, query: 'sh' });
    expect(slashQuery('Hi /', 4)).toEqual({ start: 3, query: '' });
    expect(slashQuery('and/or', 6)).toBeNull();
    expect(slashQuery('/hello there', 12)).toBeNull();
    expect(slashQuery('Hi /sh', 2)).toBeNull();
  });

  it('searches shortcuts first, then texts, within the dialog line', () => {
    expect(searchCanned(items, 'hel', 7).map((c) => c.id)).toEqual([1, 3]);
    expect(searchCanned(items, '', 7).map((c) => c.id)).toEqual([3, 1, 2]);
    expect(searchCanned(items, 'ref', 7)).toEqual([]);
    expect(searchCanned(items, 'ref', 8).map((c) => c.id)).toEqual([4]);
    expect(searchCanned(items, 'IP', 7).map((c) => c.id)).toEqual([2]);
  });

  it('fills contact and operator placeholders', () => {
    const v = { contact: { name: 'Ann', email: 'ann@example.com', phone: null }, operator: { name: 'Olga' } };
    expect(fillPlaceholders('Hi {{contact.name}} ({{ contact.email }}), {{contact.phone}}— {{operator.name}}', v)).toBe('Hi Ann (ann@example.com), — Olga');
    expect(fillPlaceholders('Order {{order.id}} {{contact.city}}', v)).toBe('Order {{order.id}} {{contact.city}}');
  });

  it('replaces the typed /query with the answer', () => {
    expect(insertAt('Hi /hel thanks', { start: 3, query: 'hel' }, 'Hello Ann!')).toEqual({ text: 'Hi Hello Ann! thanks', caret: 13 });
  });
});
