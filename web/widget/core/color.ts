const HEX = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * The brand colour goes into CSS, so only plain hex is accepted: anything else (a typo, `red;}`)
 * falls back rather than reaching a style sheet.
 */
export function safeColor(value: unknown, fallback: string): string {
  return typeof value === 'string' && HEX.test(value.trim()) ? value.trim().toLowerCase() : fallback;
}

/** Black or white text, whichever reads better on `hex` (WCAG relative luminance). */
export function textColorOn(hex: string): '#ffffff' | '#111827' {
  const m = HEX.exec(hex);
  if (!m?.[1]) return '#ffffff';
  const digits = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  const [r, g, b] = [0, 2, 4].map((i) => linear(parseInt(digits.slice(i, i + 2), 16) / 255)) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast against white is (1.05)/(L+0.05), against near-black (L+0.05)/(0.05+~0.01); they cross near 0.18.
  return luminance > 0.18 ? '#111827' : '#ffffff';
}

function linear(c: number): number {
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}
