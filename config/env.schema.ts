import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

/**
 * Every setting Omniline reads from the environment. Documented in the README's configuration
 * table; `config/example.env` lists them with their defaults.
 */
export const EnvSchema = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'production', 'test']).default('production')),
  HOST: z.preprocess(emptyAsUndefined, z.string().min(1).default('0.0.0.0')),
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number({ error: 'must be a port number' }).int('must be a port number').min(0).max(65535, 'must be at most 65535').default(3000)),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().min(1).default('./data')),
  /** `sqlite:<path>` (default `sqlite:<DATA_DIR>/omniline.sqlite`) or `postgres://user:pass@host:port/db`. */
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, 'must be sqlite:<file> or postgres://…')
      .optional(),
  ),
  /** Several nodes serve together (needs a PostgreSQL DATABASE_URL): fan-out, leases, shared rate limits. */
  REDIS_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^rediss?$/, error: 'must be redis://host:port' }).optional()),
  /** Prefix of every Redis key and channel, so several clusters (or test runs) can share one Redis. */
  REDIS_KEY_PREFIX: z.preprocess(emptyAsUndefined, z.string().regex(/^[A-Za-z0-9:_.-]{1,64}$/, 'must be 1–64 letters, digits or :_.-').default('omniline:')),
  /**
   * How long a node holds a lease (a connector's inbound loop, the routing coordinator) without renewing
   * it: when a node dies, another takes over within this time.
   */
  CLUSTER_LEASE_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number({ error: 'must be a number of seconds' }).int('must be a whole number of seconds').min(2, 'must be at least 2').max(300, 'must be at most 300').default(10)),
  /** Which proxies' X-Forwarded-For to believe (Express `trust proxy`): `loopback`, addresses or CIDRs, comma-separated. */
  TRUST_PROXY: z.preprocess(emptyAsUndefined, z.string().regex(/^[\w.:/, -]+$/, 'must be loopback or a comma-separated list of addresses/CIDRs').default('loopback')),
  /** Where browsers and providers reach this hub; defaults to http://localhost:<PORT>. */
  PUBLIC_URL: z.preprocess(emptyAsUndefined, z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional()),
  /** Encrypts channel secrets and signs tokens; generated into DATA_DIR/hub-secret when absent. */
  HUB_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  HUB_ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email('must be an e-mail address').default('admin@omniline.local')),
  HUB_ADMIN_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(10, 'must be at least 10 characters').optional()),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
  /** Largest upload accepted anywhere, in bytes (a channel may set a lower limit). */
  MAX_UPLOAD_BYTES: z.preprocess(emptyAsUndefined, z.coerce.number({ error: 'must be a number of bytes' }).int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024)),
  /** How long a send may take before another node (or this one after a restart) treats it as cut off. */
  OUTBOX_LEASE_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number({ error: 'must be a number of seconds' }).int().min(1).max(3600).default(60)),
  /** Event-loop delay above which new requests and widget messages are refused (503) until it recovers. */
  MAX_EVENT_LOOP_LAG_MS: z.preprocess(emptyAsUndefined, z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(10).max(60_000).default(1000)),
  /** HTTP requests in progress above which new ones are refused (503). */
  MAX_REQUESTS_IN_FLIGHT: z.preprocess(emptyAsUndefined, z.coerce.number({ error: 'must be a number' }).int().min(1).max(1_000_000).default(2000)),
  /** Bearer token Prometheus sends to read `GET /metrics`; without it only loopback may read them. */
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  /** How often a linked WhatsApp Web session is packed into the database, so another node takes the number over without a QR code. */
  WHATSAPP_SNAPSHOT_SECONDS: z.preprocess(emptyAsUndefined, z.coerce.number({ error: 'must be a number of seconds' }).int('must be a whole number of seconds').min(1).max(86_400).default(900)),
  /** The module the WhatsApp Web worker takes whatsapp-web.js's Client from; empty = the real one. Tests point it at a double. */
  WHATSAPP_CLIENT_MODULE: z.preprocess(emptyAsUndefined, z.string().refine((v) => path.isAbsolute(v) && existsSync(v), 'must be the absolute path of an existing file').optional()),
});
export type Env = z.infer<typeof EnvSchema>;
