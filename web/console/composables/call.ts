/** A call's length as a clock: 0:07, 3:05, 1:02:09. */
export function callDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** Whether click-to-call can reach a contact: a phone in the card, or a caller number the phone channels know. */
export function dialable(contact: { phone: string | null; identities: { channelType: string }[] }): boolean {
  return !!contact.phone?.trim() || contact.identities.some((i) => i.channelType === 'twilio' || i.channelType === 'sip');
}

/** The inbox route of a call's dialog, in the tab the operator is on (mine when elsewhere). */
export function dialogRoute(conversationId: number, scope: unknown) {
  const tab = scope === 'queue' || scope === 'all' || scope === 'closed' ? scope : 'mine';
  return { name: 'inbox' as const, params: { scope: tab, id: conversationId } };
}
