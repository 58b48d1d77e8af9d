import { emailConnector } from '../../../connectors/email/index.js';
import { login, eventually, type ApiClient } from '../../helpers/clients.js';
import { startHub, type TestHub } from '../../helpers/hub.js';
import { startDovecot, type Dovecot } from './dovecot.js';
import { startSmtpSink, type SmtpSink } from './smtp.js';

export interface MailLab {
  t: TestHub;
  admin: ApiClient;
  dovecot: Dovecot;
  smtp: SmtpSink;
  /** Settings of an e-mail channel on the lab's servers for `user` (password as created). */
  settings(user: string, extra?: Record<string, unknown>): Record<string, unknown>;
  createChannel(name: string, user: string, extra?: Record<string, unknown>): Promise<number>;
  channel(id: number): Promise<{ status: string; statusReason: string | null; settings: Record<string, unknown> }>;
  /** Waits for the channel's status (default 20 s). */
  waitStatus(id: number, status: string, timeoutMs?: number): Promise<{ status: string; statusReason: string | null }>;
  conversationsOf(channelId: number): Promise<Array<{ id: number; contactId: number; lastMessagePreview: string }>>;
  messagesOf(conversationId: number): Promise<Array<{ id: number; text: string; html: string | null; direction: string; deliveryStatus: string | null; deliveryError: string | null; attachments: Array<{ fileName: string }> }>>;
  stop(): Promise<void>;
}

export const PASSWORD = 'mail-password-1';

/** A hub, a Dovecot with the given mailboxes and an SMTP sink, all on loopback; reconnects are quick here. */
export async function startMailLab(users: string[], hubOptions: Parameters<typeof startHub>[0] = {}): Promise<MailLab> {
  const started = await Promise.allSettled([
    startDovecot(Object.fromEntries(users.map((u) => [u, PASSWORD]))),
    startSmtpSink(),
    startHub({ ...hubOptions, hub: { outbox: { baseDelayMs: 50, pollMs: 100 }, ...hubOptions.hub } }),
  ] as const);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    // Leave no server behind when one part did not start.
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw failed.reason;
  }
  const [dovecot, smtp, t] = started.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [Dovecot, SmtpSink, TestHub];
  // Quick reconnects, but a rejected login waits as in production (Dovecot slows down repeated failures).
  t.hub.registry.add(emailConnector({ backoffMs: (_n, authFailed) => (authFailed ? 30_000 : 300) }));
  const admin = await login(t.url, t.admin.email, t.admin.password);
  const settings = (user: string, extra: Record<string, unknown> = {}) => ({
    imapHost: dovecot.host, imapPort: dovecot.imapPort, imapTls: 'none', imapUser: user, imapPassword: PASSWORD,
    smtpHost: '127.0.0.1', smtpPort: smtp.port, smtpTls: 'none', smtpNoAuth: true,
    fromAddress: `${user}@shop.example`, fromName: 'Shop Support', pollSeconds: 3600, ...extra,
  });
  const channel = async (id: number) => (await admin.call('GET', '/api/channels')).body.items.find((c: { id: number }) => c.id === id);
  return {
    t, admin, dovecot, smtp, settings, channel,
    async createChannel(name, user, extra = {}) {
      const r = await admin.call('POST', '/api/channels', { type: 'email', name, lineId: 1, settings: settings(user, extra) });
      if (r.status !== 201) throw new Error(`channel not created: ${JSON.stringify(r.body)}`);
      return r.body.id as number;
    },
    waitStatus: (id, status, timeoutMs = 20_000) =>
      eventually(async () => {
        const c = await channel(id);
        return c?.status === status ? c : undefined;
      }, `channel ${id} ${status}`, timeoutMs),
    async conversationsOf(channelId) {
      const r = await admin.call('GET', `/api/conversations?scope=all&channelId=${channelId}&limit=200`);
      return r.body.items;
    },
    async messagesOf(conversationId) {
      const r = await admin.call('GET', `/api/conversations/${conversationId}/messages?limit=200`);
      return [...r.body.items].reverse();
    },
    async stop() {
      await t.stop();
      await Promise.all([dovecot.stop(), smtp.stop()]);
    },
  };
}
