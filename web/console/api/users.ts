import type { CreateUserBody, UpdateUserBody, UserDto } from '../../../shared/users';
import { http } from './http';

export const usersApi = {
  list: () => http.get<{ items: UserDto[] }>('/api/users'),
  create: (body: CreateUserBody) => http.post<UserDto>('/api/users', body),
  update: (id: number, body: UpdateUserBody) => http.patch<UserDto>(`/api/users/${id}`, body),
  remove: (id: number) => http.delete<void>(`/api/users/${id}`),
};
