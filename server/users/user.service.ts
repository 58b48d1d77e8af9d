import type { CreateUserBody, Presence, UpdateUserBody, UserDto } from '../../shared/users.js';
import { CreateUserBody as CreateUserSchema } from '../../shared/users.js';
import { hashPassword } from '../auth/password.js';
import { SessionEntity } from '../auth/session.entity.js';
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import type { EventLog } from '../events/event-log.js';
import type { Tx } from '../db/database.js';
import { UserEntity, type User } from './user.entity.js';

const NO_SCOPE = { lineId: null, conversationId: null, assigneeId: null, prevAssigneeId: null };

export const toUserDto = (u: User): UserDto => ({
  id: u.id, email: u.email, name: u.name, role: u.role, presence: u.presence, maxOpenDialogs: u.maxOpenDialogs,
  createdAt: new Date(u.createdAt).toISOString(),
});

export class UserService {
  constructor(private readonly db: Database, private readonly events: EventLog) {}

  private async changed(tx: Tx, user: User): Promise<User> {
    await this.events.append(tx, 'user.updated', { user: toUserDto(user) }, { ...NO_SCOPE, assigneeId: user.id });
    return user;
  }

  list(): Promise<User[]> {
    return this.db.manager.find(UserEntity, { order: { id: 'ASC' } });
  }

  async get(id: number): Promise<User> {
    return (await this.db.manager.findOneBy(UserEntity, { id })) ?? Promise.reject(notFound('User'));
  }

  async create(input: CreateUserBody): Promise<User> {
    const body = CreateUserSchema.parse(input);
    const email = body.email.toLowerCase();
    const passwordHash = await hashPassword(body.password);
    return this.db.write(async (tx) => {
      if (await tx.manager.existsBy(UserEntity, { email })) throw new AppError('conflict', `A user with e-mail ${email} already exists`);
      return this.changed(tx, await tx.manager.save(UserEntity, {
        email, name: body.name, role: body.role, passwordHash, presence: 'offline' as Presence, maxOpenDialogs: body.maxOpenDialogs, createdAt: Date.now(),
      }));
    });
  }

  async update(id: number, body: UpdateUserBody, actorId: number): Promise<User> {
    const passwordHash = body.password ? await hashPassword(body.password) : undefined;
    return this.db.write(async (tx) => {
      const { manager } = tx;
      const user = await manager.findOneBy(UserEntity, { id });
      if (!user) throw notFound('User');
      if (id === actorId && body.role && body.role !== 'admin' && user.role === 'admin') {
        throw new AppError('conflict', 'You cannot take the admin role from yourself');
      }
      const { password: _password, ...fields } = body;
      Object.assign(user, fields);
      if (passwordHash) user.passwordHash = passwordHash;
      const saved = await manager.save(UserEntity, user);
      // A new password signs the user out everywhere.
      if (passwordHash) await manager.delete(SessionEntity, { userId: id });
      return this.changed(tx, saved);
    });
  }

  async remove(id: number, actorId: number): Promise<void> {
    if (id === actorId) throw new AppError('conflict', 'You cannot delete yourself');
    await this.db.write(async (tx) => {
      if (!(await tx.manager.existsBy(UserEntity, { id }))) throw notFound('User');
      await tx.manager.delete(SessionEntity, { userId: id });
      await tx.manager.delete(UserEntity, { id });
      await this.events.append(tx, 'user.removed', { userId: id }, { ...NO_SCOPE, assigneeId: id }, actorId);
    });
  }

  async setPresence(id: number, presence: Presence): Promise<User> {
    return this.db.write(async (tx) => {
      await tx.manager.update(UserEntity, { id }, { presence });
      const user = await tx.manager.findOneBy(UserEntity, { id });
      if (!user) throw notFound('User');
      return this.changed(tx, user);
    });
  }
}
