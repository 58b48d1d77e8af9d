import { z } from 'zod';

/** How a connection is encrypted: TLS from the first byte (993, 465), upgraded by STARTTLS (143, 587), or not at all. */
export const TlsMode = z.enum(['tls', 'starttls', 'none']);
export type TlsMode = z.infer<typeof TlsMode>;

const Host = z.string().trim().min(1, 'a host name such as imap.example.com').max(253);
const Port = z.number().int().min(1).max(65535);

/** An address (`noreply@shop.example`) or a whole domain (`shop.example` or `@shop.example`). */
const IgnoreEntry = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) || /^@?[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(v), 'an address such as noreply@shop.example, or a domain such as shop.example');

/**
 * One mailbox as a channel. Flat on purpose: the hub masks secrets by top-level name
 * (`imapPassword`, `smtpPassword`) and merges updates key by key.
 */
export const EmailSettings = z.object({
  imapHost: Host,
  /** @default 993 */
  imapPort: Port.default(993),
  /** @default 'tls' */
  imapTls: TlsMode.default('tls'),
  imapUser: z.string().trim().min(1, 'the mailbox login').max(320),
  imapPassword: z.string().min(1, 'the mailbox password').max(1000),
  /** Folders watched for customer mail; mail that reaches us by Cc, Bcc or an alias lands in one of them. @default ['INBOX'] */
  folders: z.array(z.string().trim().min(1).max(200)).min(1).max(10).default(['INBOX']),
  smtpHost: Host,
  /** @default 587 */
  smtpPort: Port.default(587),
  /** @default 'starttls' */
  smtpTls: TlsMode.default('starttls'),
  /** Empty: the IMAP login. */
  smtpUser: z.string().trim().max(320).default(''),
  /** Empty: the IMAP password. */
  smtpPassword: z.string().max(1000).default(''),
  /** For a relay that takes mail without a login. @default false */
  smtpNoAuth: z.boolean().default(false),
  /** The From name; `{operator}` becomes the replying operator's name. @example "{operator} at Acme Support" */
  fromName: z.string().trim().max(200).default(''),
  fromAddress: z.email('the address customers write to, such as support@shop.example').max(320),
  /** Addresses and domains whose mail is never taken in (newsletters, internal systems). */
  ignore: z.array(IgnoreEntry).max(500).default([]),
  /** How far back the first sync of a folder reaches; later syncs continue from the checkpoint. @default 3 */
  firstSyncDays: z.number().int().min(0).max(365).default(3),
  /** Set \Seen on mail taken in. Off by default: the mailbox keeps showing what people have not read there. @default false */
  markAsRead: z.boolean().default(false),
  /** Full re-check of every folder this often, besides IDLE push. @default 60 */
  pollSeconds: z.number().int().min(5).max(3600).default(60),
  /** Accept self-signed or expired certificates (own mail servers only). @default false */
  allowInvalidCertificates: z.boolean().default(false),
  /** Put the conversation's token in the subject as `[#token]`: replies find their conversation even without headers. @default true */
  subjectTag: z.boolean().default(true),
  /** Reply-To `local+token@domain` of the From address; needs a mailbox that delivers plus-addresses. @default false */
  plusAddressing: z.boolean().default(false),
  /** Signature of the line, appended to every reply; `{operator}` becomes the operator's name. */
  signature: z.string().max(2000).default(''),
  /** Signatures of single operators by name; they replace the line's signature for that operator. */
  operatorSignatures: z.record(z.string().max(200), z.string().max(2000)).default({}),
  /** Larger attachments are not stored; the mail is, with a note of what was skipped. @default 10 MB */
  maxAttachmentBytes: z.number().int().min(1024).max(25 * 1024 * 1024).default(10 * 1024 * 1024),
  /** Larger mails are taken in by their headers and text only. @default 30 MB */
  maxMessageBytes: z.number().int().min(64 * 1024).max(100 * 1024 * 1024).default(30 * 1024 * 1024),
});
export type EmailSettings = z.infer<typeof EmailSettings>;

/** The domain of the From address, used in our Message-IDs and plus-addresses. */
export function senderDomain(s: Pick<EmailSettings, 'fromAddress'>): string {
  return s.fromAddress.split('@')[1]!.toLowerCase();
}

/** SMTP login: its own when given, else the IMAP one; none for an open relay. */
export function smtpAuth(s: EmailSettings): { user: string; pass: string } | undefined {
  if (s.smtpNoAuth) return undefined;
  return { user: s.smtpUser || s.imapUser, pass: s.smtpPassword || s.imapPassword };
}
