import { z } from 'zod';
import { CreateUserBody, UpdateUserBody, UserDto } from '../../shared/users.js';
import type { ApiRouter } from '../http/api-router.js';
import { toUserDto, type UserService } from './user.service.js';

export function userRoutes(api: ApiRouter, users: UserService): void {
  api.add({
    method: 'get', path: '/api/users', tag: 'users', access: 'user', summary: 'Colleagues, for assigning and presence',
    response: z.object({ items: z.array(UserDto) }),
    handler: async () => ({ items: (await users.list()).map(toUserDto) }),
  });
  api.add({
    method: 'post', path: '/api/users', tag: 'users', access: ['admin'], summary: 'Create a user', body: CreateUserBody, response: UserDto, status: 201,
    handler: async ({ body }) => toUserDto(await users.create(body)),
  });
  api.add({
    method: 'patch', path: '/api/users/{id}', tag: 'users', access: ['admin'], summary: 'Change a user (a new password ends their sessions)',
    body: UpdateUserBody, response: UserDto,
    handler: async ({ params, body, auth }) => toUserDto(await users.update(params.id, body, auth.user.id)),
  });
  api.add({
    method: 'delete', path: '/api/users/{id}', tag: 'users', access: ['admin'], summary: 'Delete a user; their sessions end at once',
    handler: ({ params, auth }) => users.remove(params.id, auth.user.id),
  });
}
