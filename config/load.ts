import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { EnvSchema, type Env } from './env.schema.js';

export interface HubConfig {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  dataDir: string;
  database: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  redisUrl: string | null;
  /** Several nodes: Redis keys and channels start with this. */
  redisKeyPrefix: string;
  clusterLeaseMs: number;
  trustProxy: string;
  publicUrl: string;
  secret: string;
  admin: { email: string; password: string | null };
  logLevel: Env['LOG_LEVEL'];
  maxUploadBytes: number;
  metricsToken: string | null;
  outboxLeaseMs: number;
  load: { maxLagMs: number; maxInFlight: number };
  whatsapp: { snapshotEveryMs: number; clientModule: string | null };
}

/** A bad setting: the message is one line naming the variable and what is wrong. */
export class ConfigError extends Error {}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const parsed = EnvSchema.safeParse(source);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? 'environment');
  const raw = source[name];
  throw new ConfigError(`Invalid configuration: ${name} ${issue.message}${raw === undefined ? '' : ` (got ${JSON.stringify(raw)})`}`);
}

/** Reads the environment, creates DATA_DIR and the hub secret on first start. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): HubConfig {
  const env = parseEnv(source);
  const dataDir = path.resolve(env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const url = env.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'omniline.sqlite')}`;
  const database = url.startsWith('sqlite:')
    ? { kind: 'sqlite' as const, file: path.resolve(url.slice('sqlite:'.length)) }
    : { kind: 'postgres' as const, url };
  if (env.REDIS_URL && database.kind === 'sqlite') {
    throw new ConfigError('Invalid configuration: REDIS_URL needs DATABASE_URL=postgres://… (several nodes cannot share a SQLite file)');
  }
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    dataDir,
    database,
    redisUrl: env.REDIS_URL ?? null,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    clusterLeaseMs: env.CLUSTER_LEASE_SECONDS * 1000,
    trustProxy: env.TRUST_PROXY,
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    secret: env.HUB_SECRET ?? ensureSecretFile(dataDir),
    admin: { email: env.HUB_ADMIN_EMAIL.toLowerCase(), password: env.HUB_ADMIN_PASSWORD ?? null },
    logLevel: env.LOG_LEVEL,
    maxUploadBytes: env.MAX_UPLOAD_BYTES,
    metricsToken: env.METRICS_TOKEN ?? null,
    outboxLeaseMs: env.OUTBOX_LEASE_SECONDS * 1000,
    load: { maxLagMs: env.MAX_EVENT_LOOP_LAG_MS, maxInFlight: env.MAX_REQUESTS_IN_FLIGHT },
    whatsapp: { snapshotEveryMs: env.WHATSAPP_SNAPSHOT_SECONDS * 1000, clientModule: env.WHATSAPP_CLIENT_MODULE ?? null },
  };
}

function ensureSecretFile(dataDir: string): string {
  const file = path.join(dataDir, 'hub-secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < 32) throw new ConfigError(`Invalid configuration: ${file} holds a secret shorter than 32 characters`);
    return secret;
  }
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
