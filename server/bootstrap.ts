import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HubConfig } from '../config/load.js';
import type { ChannelService } from './channels/channel.service.js';
import type { Database } from './db/database.js';
import type { LineService } from './lines/line.service.js';
import { UserEntity } from './users/user.entity.js';
import type { UserService } from './users/user.service.js';

export interface BootstrapResult {
  adminEmail: string;
  /** Set only on the very first start, when the password was generated. */
  generatedPassword: string | null;
}

/**
 * First start on an empty database: an admin, a default open line and a site chat for /demo, so a
 * new user lands in a working product.
 */
export async function bootstrap(config: HubConfig, db: Database, s: { users: UserService; lines: LineService; channels: ChannelService }): Promise<BootstrapResult> {
  if ((await db.manager.count(UserEntity)) > 0) return { adminEmail: config.admin.email, generatedPassword: null };
  const generated = config.admin.password ? null : randomBytes(12).toString('base64url');
  const admin = await s.users.create({ email: config.admin.email, name: 'Administrator', role: 'admin', password: config.admin.password ?? generated! });
  if (generated) writeFileSync(path.join(config.dataDir, 'initial-admin-password'), generated + '\n', { mode: 0o600 });
  const line = await s.lines.create({ name: 'Sales & support', memberIds: [admin.id], crm: { createLead: true, sourceName: 'Website' } });
  await s.channels.create({ type: 'webchat', name: 'Website chat', lineId: line.id, settings: { title: 'Chat with Northwind' } });
  return { adminEmail: admin.email, generatedPassword: generated };
}
