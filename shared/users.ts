import { z } from 'zod';

export const Role = z.enum(['operator', 'supervisor', 'admin']);
export type Role = z.infer<typeof Role>;

export const Presence = z.enum(['online', 'away', 'offline']);
export type Presence = z.infer<typeof Presence>;

export const UserDto = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: Role,
  presence: Presence,
  maxOpenDialogs: z.number().int().nonnegative(),
  createdAt: z.iso.datetime(),
});
export type UserDto = z.infer<typeof UserDto>;

const Password = z.string().min(10, 'at least 10 characters').max(200);

export const CreateUserBody = z.object({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  role: Role.default('operator'),
  password: Password,
  maxOpenDialogs: z.number().int().min(0).max(1000).default(10),
});
export type CreateUserBody = z.input<typeof CreateUserBody>;

export const UpdateUserBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    role: Role,
    password: Password,
    maxOpenDialogs: z.number().int().min(0).max(1000),
  })
  .partial()
  .strict();
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const LoginBody = z.object({ email: z.email().max(320), password: z.string().min(1).max(200) });
export type LoginBody = z.infer<typeof LoginBody>;

/** `GET /api/me` and the login answer: the user plus the token every cookie-authenticated write must echo in `X-CSRF-Token`. */
export const SessionDto = z.object({ user: UserDto, csrfToken: z.string() });
export type SessionDto = z.infer<typeof SessionDto>;

export const SetPresenceBody = z.object({ presence: Presence });
