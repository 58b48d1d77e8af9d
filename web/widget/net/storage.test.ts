import { describe, expect, it } from 'vitest';
import { createVisitorStorage } from './storage.js';

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  };
}

describe('createVisitorStorage', () => {
  it('keeps each widget key’s visitor apart', () => {
    const local = memoryStorage();
    const a = createVisitorStorage('key-a', local, memoryStorage());
    const b = createVisitorStorage('key-b', local, memoryStorage());
    a.setToken('token-a');
    expect(a.token()).toBe('token-a');
    expect(b.token()).toBeNull();
    expect(local.getItem('omniline:key-a:token')).toBe('token-a');
  });

  it('forgets the token and remembers read position and open state', () => {
    const s = createVisitorStorage('k', memoryStorage(), memoryStorage());
    s.setToken('t');
    s.setToken(null);
    expect(s.token()).toBeNull();
    expect(s.lastReadId()).toBe(0);
    s.setLastReadId(42);
    expect(s.lastReadId()).toBe(42);
    s.setOpen(true);
    expect(s.wasOpen()).toBe(true);
    s.setOpen(false);
    expect(s.wasOpen()).toBe(false);
  });

  it('works without storage, or with storage that throws', () => {
    const throwing = { ...memoryStorage(), getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceeded'); } };
    for (const s of [createVisitorStorage('k', null, null), createVisitorStorage('k', throwing, throwing)]) {
      expect(() => s.setToken('t')).not.toThrow();
      expect(s.token()).toBeNull();
      expect(s.lastReadId()).toBe(0);
    }
  });
});
