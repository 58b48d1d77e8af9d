/**
 * A fresh idempotency key for one outgoing message (32 hex characters, within the `clientId`
 * schema). `crypto.randomUUID` exists only on https pages; `getRandomValues` works on every page
 * a widget may be embedded in.
 */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
