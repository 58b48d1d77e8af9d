/**
 * Resolves `href` against `base` and returns it only when it is http(s); `javascript:`, `data:`
 * and anything unparsable give null, so nothing the server or a visitor wrote can run script.
 */
export function safeHttpUrl(href: string, base?: string): string | null {
  try {
    const url = new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}
