import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('blocks after max hits within the window and frees the key as hits age out', () => {
    let now = 0;
    const rl = new RateLimiter(3, 1000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(rl.retryAfter('k')).toBe(0);
      rl.hit('k');
      now += 100;
    }
    expect(rl.retryAfter('k')).toBe(700);
    expect(rl.retryAfter('other')).toBe(0);
    now = 1001;
    expect(rl.retryAfter('k')).toBe(0);
    rl.hit('k');
    rl.reset('k');
    expect(rl.retryAfter('k')).toBe(0);
  });
});
