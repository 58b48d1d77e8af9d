import { EntitySchema } from 'typeorm';
import { ref, text, time } from '../db/columns.js';

/** A login. The cookie holds a random token; only its SHA-256 is stored. */
export interface Session {
  tokenHash: string;
  userId: number;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export const SessionEntity = new EntitySchema<Session>({
  name: 'Session',
  tableName: 'sessions',
  columns: {
    tokenHash: { ...text(false, 64), primary: true, name: 'token_hash' },
    userId: { ...ref(), name: 'user_id' },
    csrfToken: { ...text(false, 64), name: 'csrf_token' },
    createdAt: { ...time(), name: 'created_at' },
    expiresAt: { ...time(), name: 'expires_at' },
  },
});
