import type { Response } from 'express';
import { LoginBody, SessionDto, SetPresenceBody, UserDto } from '../../shared/users.js';
import { AppError } from '../errors/app-error.js';
import type { ApiRouter } from '../http/api-router.js';
import { UserEntity } from '../users/user.entity.js';
import { toUserDto, type UserService } from '../users/user.service.js';
import type { Database } from '../db/database.js';
import { DUMMY_HASH, verifyPassword } from './password.js';
import { RateLimiter, type Limiter } from './rate-limiter.js';
import { SESSION_COOKIE, type SessionService } from './session.service.js';
import { readCookie } from './cookies.js';

const WINDOW_MS = 15 * 60_000;

export interface AuthRoutesDeps {
  db: Database;
  sessions: SessionService;
  users: UserService;
  secureCookies: boolean;
  /** Where failed sign-ins are counted; in this process unless given (several nodes share Redis). */
  limiter?(name: string, max: number, windowMs: number): Limiter;
}

export function authRoutes(api: ApiRouter, d: AuthRoutesDeps): void {
  // Per account and address, and per address alone: guessing one password or spraying many accounts both stop.
  const limiter = d.limiter ?? ((_name: string, max: number, windowMs: number) => new RateLimiter(max, windowMs));
  const perAccount = limiter('login-account', 5, WINDOW_MS);
  const perAddress = limiter('login-address', 30, WINDOW_MS);

  const setCookie = (res: Response, token: string, maxAgeMs: number) =>
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: d.secureCookies, path: '/', maxAge: maxAgeMs });

  api.add({
    method: 'post', path: '/api/auth/login', tag: 'auth', access: 'public', summary: 'Sign in with e-mail and password; sets the session cookie',
    body: LoginBody, response: SessionDto,
    async handler({ body, req, res }) {
      const email = body.email.toLowerCase();
      const accountKey = `${req.ip}|${email}`;
      const wait = Math.max(await perAccount.retryAfter(accountKey), await perAddress.retryAfter(req.ip ?? ''));
      if (wait > 0) {
        res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
        throw new AppError('rate_limited', `Too many failed sign-ins; try again in ${Math.ceil(wait / 60_000)} min`);
      }
      const user = await d.db.manager.findOneBy(UserEntity, { email });
      const ok = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) {
        await Promise.all([perAccount.hit(accountKey), perAddress.hit(req.ip ?? '')]);
        throw new AppError('unauthenticated', 'Wrong e-mail or password');
      }
      await perAccount.reset(accountKey);
      const { token, session } = await d.sessions.create(user.id);
      setCookie(res, token, session.expiresAt - session.createdAt);
      return { user: toUserDto(user), csrfToken: session.csrfToken };
    },
  });

  api.add({
    method: 'post', path: '/api/auth/logout', tag: 'auth', access: 'user', summary: 'Sign out: ends this session',
    async handler({ req, res }) {
      const token = readCookie(req.headers.cookie, SESSION_COOKIE);
      if (token) await d.sessions.destroy(token);
      res.clearCookie(SESSION_COOKIE, { path: '/' });
    },
  });

  api.add({
    method: 'get', path: '/api/me', tag: 'auth', access: 'user', summary: 'The signed-in user and the CSRF token for writes', response: SessionDto,
    handler: ({ auth }) => ({ user: toUserDto(auth.user), csrfToken: auth.session.csrfToken }),
  });

  api.add({
    method: 'put', path: '/api/me/presence', tag: 'auth', access: 'user', summary: 'Set my presence (online, away, offline)',
    body: SetPresenceBody, response: UserDto,
    handler: async ({ auth, body }) => toUserDto(await d.users.setPresence(auth.user.id, body.presence)),
  });
}
