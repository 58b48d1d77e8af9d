/** A page served by the hub itself (its console, /demo), whatever name the browser used to reach it. */
export function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}
