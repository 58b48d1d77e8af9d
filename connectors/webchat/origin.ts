/**
 * Whether a browser page at `origin` may talk to this widget. No Origin header means no browser
 * page is involved (server-side or test clients), which an allow-list cannot and need not stop.
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[], hubOrigin: string): boolean {
  if (!origin) return true;
  if (origin === hubOrigin) return true;
  return allowed.includes('*') || allowed.includes(origin);
}
