import { describe, expect, it } from 'vitest';
import { parseWidgetConfig, wantsPrechat } from './config.js';

const full = {
  title: 'Northwind Bikes',
  color: '#0F766E',
  welcomeText: 'Hi! Ask us anything.',
  online: false,
  prechat: { name: 'required', email: 'optional', phone: 'off' },
  attachments: { enabled: true, maxBytes: 5_000_000, allowedTypes: ['image/*', 'application/pdf'] },
};

describe('parseWidgetConfig', () => {
  it('keeps a well-formed config, normalising the colour', () => {
    expect(parseWidgetConfig(full)).toEqual({ ...full, color: '#0f766e' });
  });

  it('falls back field by field instead of failing on a partial config', () => {
    const c = parseWidgetConfig({ title: '  ', color: 'red;}body{display:none', prechat: { name: 'mandatory' }, attachments: { enabled: 'yes', maxBytes: -1, allowedTypes: ['', 3, 'image/png'] } });
    expect(c.title).toBe('Chat with us');
    expect(c.color).toBe('#2563eb');
    expect(c.online).toBe(true);
    expect(c.prechat).toEqual({ name: 'off', email: 'off', phone: 'off' });
    expect(c.attachments).toEqual({ enabled: false, maxBytes: 0, allowedTypes: ['image/png'] });
  });

  it('rejects something that is not a config object at all', () => {
    expect(() => parseWidgetConfig(null)).toThrow(/not a JSON object/);
    expect(() => parseWidgetConfig([full])).toThrow(/not a JSON object/);
  });
});

describe('wantsPrechat', () => {
  it('is true when any field is optional or required', () => {
    expect(wantsPrechat(parseWidgetConfig(full))).toBe(true);
    expect(wantsPrechat(parseWidgetConfig({ ...full, prechat: { name: 'off', email: 'off', phone: 'optional' } }))).toBe(true);
    expect(wantsPrechat(parseWidgetConfig({ ...full, prechat: { name: 'off', email: 'off', phone: 'off' } }))).toBe(false);
  });
});
