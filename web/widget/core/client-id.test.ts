import { describe, expect, it } from 'vitest';
import { newClientId } from './client-id.js';

describe('newClientId', () => {
  it('fits the clientId schema of the send event', () => {
    expect(newClientId()).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it('does not repeat', () => {
    expect(new Set(Array.from({ length: 1000 }, newClientId)).size).toBe(1000);
  });
});
