import { EntitySchema } from 'typeorm';
import type { Presence, Role } from '../../shared/users.js';
import { id, int, text, time } from '../db/columns.js';

export interface User {
  id: number;
  email: string;
  name: string;
  passwordHash: string;
  role: Role;
  presence: Presence;
  maxOpenDialogs: number;
  createdAt: number;
}

export const UserEntity = new EntitySchema<User>({
  name: 'User',
  tableName: 'users',
  columns: {
    id,
    email: { ...text(false, 320), unique: true },
    name: text(false, 200),
    passwordHash: { ...text(), name: 'password_hash' },
    role: text(false, 20),
    presence: { ...text(false, 20), default: 'offline' },
    maxOpenDialogs: { ...int(10), name: 'max_open_dialogs' },
    createdAt: { ...time(), name: 'created_at' },
  },
});
