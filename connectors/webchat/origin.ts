import { sameHost } from '../../shared/origin.js';

/**
 * Whether a browser page at `origin` may talk to this widget. No Origin header means no browser
 * page is involved (server-side or test clients), which an allow-list cannot and need not stop.
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[], hubOrigin: string, host?: string): boolean {
  if (!origin) return true;
  if (origin === hubOrigin || sameHost(origin, host)) return true;
  return allowed.includes('*') || allowed.includes(origin);
}
