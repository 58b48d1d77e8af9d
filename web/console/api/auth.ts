import type { Presence, SessionDto, UserDto } from '../../../shared/users';
import { http } from './http';

export const authApi = {
  login: (email: string, password: string) => http.post<SessionDto>('/api/auth/login', { email, password }, { quiet401: true }),
  logout: () => http.post<void>('/api/auth/logout'),
  me: () => http.get<SessionDto>('/api/me', undefined, { quiet401: true }),
  setPresence: (presence: Presence) => http.put<UserDto>('/api/me/presence', { presence }),
};
