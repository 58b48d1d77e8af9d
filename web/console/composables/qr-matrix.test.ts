import { describe, expect, it } from 'vitest';
import { qrMatrix, qrPath } from './qr-matrix';

// Decoded back to "hi" by zbarimg when this snapshot was taken (as were versions 1–19, L and M, UTF-8 text).
const HI_M = [
  '#######..####.#######', '#.....#..##.#.#.....#', '#.###.#.##.##.#.###.#', '#.###.#.##..#.#.###.#', '#.###.#.#..##.#.###.#',
  '#.....#.##..#.#.....#', '#######.#.#.#.#######', '........#.###........', '#.#####.....#.#####..', '.###.#.#..#.#..#....#',
  '..##..##.#.#.#..####.', '###.#....#.....##.#..', '###.#.#....#.#..#.#.#', '........#..####..#..#', '#######...#.#.##...#.',
  '#.....#.#######..#..#', '#.###.#.#...#..#..#..', '#.###.#.###.#..#..#..', '#.###.#.#..#.#..###..', '#.....#..##....##.#..',
  '#######.#.##.#..####.',
];

describe('qr matrix', () => {
  it('encodes a known code exactly', () => {
    expect(qrMatrix('hi', 'M').map((r) => r.map((d) => (d ? '#' : '.')).join(''))).toEqual(HI_M);
  });

  it('picks the smallest version that holds the text', () => {
    const version = (text: string, ecc: 'L' | 'M' = 'M') => (qrMatrix(text, ecc).length - 17) / 4;
    expect(version('x'.repeat(14))).toBe(1);
    expect(version('x'.repeat(15))).toBe(2);
    // A WhatsApp pairing code is about 240 characters.
    expect(version('x'.repeat(240), 'L')).toBe(10);
    expect(() => qrMatrix('x'.repeat(3000))).toThrow(/too long/);
  });

  it('draws finder and timing patterns on every version', () => {
    const m = qrMatrix('y'.repeat(300));
    const n = m.length;
    for (const [x, y] of [[0, 0], [n - 7, 0], [0, n - 7]] as const) {
      expect([0, 1, 2, 3, 4, 5, 6].every((i) => m[y]![x + i] && m[y + 6]![x + i] && m[y + i]![x] && m[y + i]![x + 6])).toBe(true);
      expect(m[y + 3]![x + 3]).toBe(true);
    }
    expect(m[6]!.slice(8, n - 8).every((d, i) => d === (i % 2 === 0))).toBe(true);
    expect(qrPath([[true, false]], 1)).toBe('M1 1h1v1h-1z');
  });
});
