import { describe, expect, it } from 'vitest';
import { filtersFromQuery, queryFromFilters } from './useInboxRoute';

describe('inbox route mapping', () => {
  it('reads filters from the query, ignoring junk', () => {
    expect(filtersFromQuery({ line: '2', channel: 'x', status: 'queued', q: 'anna' })).toEqual({ lineId: 2, channelId: null, status: 'queued', q: 'anna' });
    expect(filtersFromQuery({ status: 'nope' }).status).toBeNull();
  });
  it('round-trips', () => {
    const f = { lineId: 1, channelId: 3, status: 'open' as const, q: ' order ' };
    expect(queryFromFilters(f)).toEqual({ line: '1', channel: '3', status: 'open', q: 'order' });
    expect(filtersFromQuery(queryFromFilters(f))).toEqual({ ...f, q: 'order' });
  });
});
