/**
 * What the widget remembers on the host site, namespaced by widget key so two Omniline widgets on
 * one domain do not share a visitor. Storage can be missing or throw (privacy modes, full quota);
 * the widget then works for the page's lifetime only.
 */
export interface VisitorStorage {
  token(): string | null;
  setToken(token: string | null): void;
  /** Highest operator message id seen with the panel open; drives the unread badge across pages. */
  lastReadId(): number;
  setLastReadId(id: number): void;
  /** Whether the panel was open, so it stays open while the visitor moves between pages. */
  wasOpen(): boolean;
  setOpen(open: boolean): void;
  /** The visitor left an e-mail address we can answer at, so the offline form is not asked again. */
  reachable(): boolean;
  setReachable(): void;
}

export function createVisitorStorage(key: string, local: Storage | null = safe(() => localStorage), session: Storage | null = safe(() => sessionStorage)): VisitorStorage {
  const name = (what: string) => `omniline:${key}:${what}`;
  const get = (store: Storage | null, what: string) => safe(() => store?.getItem(name(what)) ?? null);
  const set = (store: Storage | null, what: string, value: string | null) =>
    safe(() => (value === null ? store?.removeItem(name(what)) : store?.setItem(name(what), value)));
  return {
    token: () => get(local, 'token'),
    setToken: (token) => set(local, 'token', token),
    lastReadId: () => Number(get(local, 'read') ?? 0) || 0,
    setLastReadId: (id) => set(local, 'read', String(id)),
    wasOpen: () => get(session, 'open') === '1',
    setOpen: (open) => set(session, 'open', open ? '1' : null),
    reachable: () => get(local, 'reachable') === '1',
    setReachable: () => set(local, 'reachable', '1'),
  };
}

function safe<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}
