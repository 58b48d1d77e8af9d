import { describe, expect, it } from 'vitest';
import { validatePrechat } from './prechat.js';

const settings = { name: 'required', email: 'optional', phone: 'off' } as const;

describe('validatePrechat', () => {
  it('returns the trimmed body, leaving out blank optional and switched-off fields', () => {
    expect(validatePrechat(settings, { name: '  Ada  ', email: ' ', phone: '+1 555' })).toEqual({ ok: true, body: { name: 'Ada' } });
  });

  it('requires required fields', () => {
    expect(validatePrechat(settings, { name: '', email: '', phone: '' })).toEqual({ ok: false, errors: { name: 'Name is required.' } });
  });

  it('checks the shape of optional fields the visitor did fill in', () => {
    const r = validatePrechat({ name: 'off', email: 'optional', phone: 'required' }, { name: '', email: 'ada@', phone: 'call me' });
    expect(r.ok).toBe(false);
    expect(!r.ok && Object.keys(r.errors)).toEqual(['email', 'phone']);
  });

  it('accepts the phone formats the session endpoint accepts', () => {
    const r = validatePrechat({ name: 'off', email: 'required', phone: 'required' }, { name: '', email: 'ada@example.com', phone: '+44 (20) 7946-0958' });
    expect(r).toEqual({ ok: true, body: { email: 'ada@example.com', phone: '+44 (20) 7946-0958' } });
  });
});
