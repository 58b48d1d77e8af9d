import express, { type Request, type Response, type Router } from 'express';
import { z, type ZodType } from 'zod';
import type { Role } from '../../shared/users.js';
import { AppError } from '../errors/app-error.js';
import type { Authenticated } from '../auth/session.service.js';

/** Who may call a route: anyone, any signed-in user, or the listed roles. */
export type Access = 'public' | 'user' | Role[];

export interface RouteContext<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  auth: Authenticated;
  req: Request;
  res: Response;
}

export interface RouteSpec<B = unknown, Q = unknown, P = { id: number }> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: Access;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  /** Documents the answer; 204 when the handler returns nothing. */
  response?: ZodType;
  status?: number;
  /** Routes that read multipart bodies parse them themselves. */
  multipart?: boolean;
  handler: (ctx: RouteContext<B, Q, P>) => Promise<unknown> | unknown;
}

export const IdParams = z.object({ id: z.coerce.number().int().positive().max(2 ** 31 - 1) });

/**
 * Every REST route goes through here: access checked before anything else, body, query and params
 * parsed with their schema, the answer serialized; the same specs produce the OpenAPI document.
 */
export class ApiRouter {
  readonly specs: RouteSpec<any, any, any>[] = [];
  readonly router: Router = express.Router();

  constructor(private readonly authenticate: (req: Request) => Promise<Authenticated | null>) {}

  add<B, Q, P = { id: number }>(spec: RouteSpec<B, Q, P>): void {
    this.specs.push(spec);
    const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
    this.router[spec.method](expressPath, async (req, res, next) => {
      try {
        const auth = await this.checkAccess(spec.access, req);
        const params = parse(spec.params ?? (expressPath.includes(':id') ? IdParams : z.object({})), req.params, 'path');
        // An unknown id in the path is "not found", not a validation error the caller could probe.
        const query = parse(spec.query ?? z.object({}), req.query, 'query');
        const body = spec.multipart ? undefined : parse(spec.body ?? z.unknown(), req.body ?? {}, 'body');
        const result = await spec.handler({ body, query, params, auth: auth!, req, res } as RouteContext<B, Q, P>);
        if (res.headersSent) return;
        if (result === undefined) res.status(204).end();
        else res.status(spec.status ?? 200).json(result);
      } catch (err) {
        next(err);
      }
    });
  }

  private async checkAccess(access: Access, req: Request): Promise<Authenticated | null> {
    if (access === 'public') return null;
    const auth = await this.authenticate(req);
    if (!auth) throw new AppError('unauthenticated', 'Sign in first');
    // Cookies ride along on cross-site requests; the token only this origin's pages can read does not.
    if (req.method !== 'GET' && req.get('x-csrf-token') !== auth.session.csrfToken) {
      throw new AppError('csrf_failed', 'Missing or wrong X-CSRF-Token header; reload the page');
    }
    if (access !== 'user' && !access.includes(auth.user.role)) {
      throw new AppError('forbidden', `This needs the ${access.join(' or ')} role`);
    }
    return auth;
  }
}

function parse(schema: ZodType, value: unknown, where: string): unknown {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  if (where === 'path') throw new AppError('not_found', 'Not found');
  throw new AppError('validation_failed', `Invalid request ${where}: ${r.error.issues.map((i) => `${i.path.join('.') || where} ${i.message}`).join('; ')}`, {
    issues: r.error.issues.map((i) => ({ path: [where, ...i.path.map(String)], message: i.message })),
  });
}
