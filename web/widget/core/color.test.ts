import { describe, expect, it } from 'vitest';
import { safeColor, textColorOn } from './color.js';

describe('safeColor', () => {
  it('accepts 3- and 6-digit hex', () => {
    expect(safeColor('#ABC', '#000')).toBe('#abc');
    expect(safeColor(' #0f766e ', '#000')).toBe('#0f766e');
  });

  it('refuses anything that could smuggle CSS', () => {
    for (const bad of ['red', '#12345', 'url(x)', '#fff;background:red', 42, null]) expect(safeColor(bad, '#000')).toBe('#000');
  });
});

describe('textColorOn', () => {
  it('puts white text on dark brand colours and dark text on light ones', () => {
    expect(textColorOn('#2563eb')).toBe('#ffffff');
    expect(textColorOn('#0f766e')).toBe('#ffffff');
    expect(textColorOn('#facc15')).toBe('#111827');
    expect(textColorOn('#fff')).toBe('#111827');
  });
});
