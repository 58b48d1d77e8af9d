/**
 * First REST loads wait for the realtime link's first sync (bounded), so no event can fall between
 * a REST snapshot and the event log position the socket starts from. Without a link the gate is open.
 */
let gate: () => Promise<void> = () => Promise.resolve();

export function setLoadGate(next: (() => Promise<void>) | null): void {
  gate = next ?? (() => Promise.resolve());
}

export function loadGate(): Promise<void> {
  return gate();
}
