import { describe, expect, it } from 'vitest';
import { callDuration } from './call';

describe('callDuration', () => {
  it.each([[7, '0:07'], [185, '3:05'], [3729, '1:02:09'], [-3, '0:00']])('%i s → %s', (s, out) => expect(callDuration(s)).toBe(out));
});
