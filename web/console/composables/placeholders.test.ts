import { describe, expect, it } from 'vitest';
import { insertAt, previewText, unknownPlaceholders } from './placeholders';

describe('placeholders', () => {
  it('inserts a chip at the caret, over a selection, or at the end', () => {
    expect(insertAt('Hello !', 6, 6, '{{contact.name}}')).toEqual({ text: 'Hello {{contact.name}}!', caret: 22 });
    expect(insertAt('Hi NAME', 3, 7, '{{contact.name}}')).toEqual({ text: 'Hi {{contact.name}}', caret: 19 });
    expect(insertAt('Hi', null, null, '{{line.name}}')).toEqual({ text: 'Hi {{line.name}}', caret: 16 });
    expect(insertAt('', 0, 0, '{{line.name}}')).toEqual({ text: '{{line.name}}', caret: 13 });
  });

  it('finds placeholders the hub would leave out', () => {
    expect(unknownPlaceholders('Hi {{contact.name}}, {{ operator.name }} here')).toEqual([]);
    expect(unknownPlaceholders('Hi {{contact.nam}} {{client}} {{client}}')).toEqual(['{{contact.nam}}', '{{client}}']);
  });

  it('previews the text with sample values', () => {
    expect(previewText('Hi {{contact.name}}, this is {{line.name}}{{x.y}}.', { 'contact.name': 'Anna', 'line.name': 'Sales' })).toBe('Hi Anna, this is Sales.');
  });
});
