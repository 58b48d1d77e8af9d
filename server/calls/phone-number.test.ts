import { describe, expect, it } from 'vitest';
import { toE164 } from './phone-number.js';

describe('toE164', () => {
  it('reads international numbers however they are written', () => {
    expect(toE164('+49 (30) 1234-5678')).toBe('+493012345678');
    expect(toE164('0049 30 12345678')).toBe('+493012345678');
    expect(toE164('sip:+14155550123@pbx.example;user=phone')).toBe('+14155550123');
    expect(toE164('tel:+1-202-555-0147')).toBe('+12025550147');
  });

  it('reads national numbers only with a default country', () => {
    expect(toE164('030 12345678')).toBeNull();
    expect(toE164('030 12345678', 'DE')).toBe('+493012345678');
    expect(toE164('030 12345678', 'de')).toBe('+493012345678');
  });

  it('leaves extensions, user names and invalid numbers alone', () => {
    expect(toE164('1001')).toBeNull();
    expect(toE164('1001', 'DE')).toBeNull();
    expect(toE164('alice')).toBeNull();
    expect(toE164('+1001')).toBeNull();
    expect(toE164('')).toBeNull();
  });
});
