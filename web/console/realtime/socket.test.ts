import { describe, expect, it } from 'vitest';
import { retryDelay } from './socket';

describe('retryDelay', () => {
  it('backs off exponentially up to 30 s', () => {
    expect([0, 1, 2, 3, 10].map(retryDelay)).toEqual([1000, 2000, 4000, 8000, 30_000]);
  });
});
