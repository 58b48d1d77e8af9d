import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import { UserEntity, type User } from '../users/user.entity.js';
import { SessionEntity, type Session } from './session.entity.js';

export const SESSION_COOKIE = 'omni_session';
const TTL_MS = 14 * 24 * 3600 * 1000;

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

export interface Authenticated {
  user: User;
  session: Session;
}

export class SessionService {
  constructor(private readonly db: Database) {}

  async create(userId: number): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session: Session = { tokenHash: hash(token), userId, csrfToken: randomBytes(24).toString('base64url'), createdAt: now, expiresAt: now + TTL_MS };
    await this.db.write((tx) => tx.manager.insert(SessionEntity, session));
    return { token, session };
  }

  /** The session's user, or null when the token is unknown, expired, or its user is gone. */
  async resolve(token: string | undefined): Promise<Authenticated | null> {
    if (!token || token.length > 100) return null;
    const session = await this.db.manager.findOneBy(SessionEntity, { tokenHash: hash(token) });
    if (!session || session.expiresAt < Date.now()) return null;
    const user = await this.db.manager.findOneBy(UserEntity, { id: session.userId });
    return user ? { user, session } : null;
  }

  /** The user as stored now, or null once deleted: a live socket re-checks this when roles or lines change. */
  resolveUser(userId: number) {
    return this.db.manager.findOneBy(UserEntity, { id: userId });
  }

  async destroy(token: string): Promise<void> {
    await this.db.write((tx) => tx.manager.delete(SessionEntity, { tokenHash: hash(token) }));
  }
}
