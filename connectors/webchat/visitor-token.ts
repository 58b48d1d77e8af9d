import { randomUUID } from 'node:crypto';

/** Signs and checks small payloads with the hub's secret; the connector never sees the secret itself. */
export interface Signer {
  sign(purpose: string, payload: object): string;
  verify<T>(purpose: string, token: string): T | null;
}

/** What a visitor token carries: the widget's channel, a stable visitor id and the pre-chat answers. */
export interface Visitor {
  channelId: number;
  visitorId: string;
  name?: string;
  email?: string;
  phone?: string;
}

interface Payload {
  c: number;
  v: string;
  n?: string;
  e?: string;
  p?: string;
}

const PURPOSE = 'webchat-visitor';

export function issueVisitorToken(signer: Signer, visitor: Omit<Visitor, 'visitorId'> & { visitorId?: string }): { token: string; visitor: Visitor } {
  const v: Visitor = { ...visitor, visitorId: visitor.visitorId ?? randomUUID() };
  const payload: Payload = { c: v.channelId, v: v.visitorId, n: v.name, e: v.email, p: v.phone };
  return { token: signer.sign(PURPOSE, payload), visitor: v };
}

export function readVisitorToken(signer: Signer, token: string, channelId: number): Visitor | null {
  const p = signer.verify<Payload>(PURPOSE, token);
  if (!p || p.c !== channelId || typeof p.v !== 'string') return null;
  return { channelId: p.c, visitorId: p.v, name: p.n, email: p.e, phone: p.p };
}

/** A download link for one file, bound to the visitor so it cannot be reused for another's files. */
export const fileToken = (signer: Signer, channelId: number, visitorId: string, attachmentId: number) =>
  signer.sign('webchat-file', { c: channelId, v: visitorId, a: attachmentId });

export function readFileToken(signer: Signer, token: string): { channelId: number; visitorId: string; attachmentId: number } | null {
  const p = signer.verify<{ c: number; v: string; a: number }>('webchat-file', token);
  return p ? { channelId: p.c, visitorId: p.v, attachmentId: p.a } : null;
}
