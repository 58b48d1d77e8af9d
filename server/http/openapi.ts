import { z, type ZodType } from 'zod';
import { ErrorBody } from '../../shared/errors.js';
import type { ApiRouter } from './api-router.js';

const schema = (s: ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'openapi-3.0' });

/** The OpenAPI 3 document, built from the same route specs and zod schemas that validate requests. */
export function buildOpenApi(api: ApiRouter, publicUrl: string): object {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of api.specs) {
    const parameters: object[] = [];
    for (const m of spec.path.matchAll(/\{(\w+)\}/g)) parameters.push({ name: m[1], in: 'path', required: true, schema: { type: 'integer' } });
    if (spec.query) {
      const q = schema(spec.query, 'input') as { properties?: Record<string, object>; required?: string[] };
      for (const [name, s] of Object.entries(q.properties ?? {})) {
        parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema: s });
      }
    }
    const responses: Record<string, object> = {
      [spec.response ? String(spec.status ?? 200) : '204']: spec.response
        ? { description: 'OK', content: { 'application/json': { schema: schema(spec.response, 'output') } } }
        : { description: 'No content' },
      default: { description: 'Error', content: { 'application/json': { schema: schema(ErrorBody, 'output') } } },
    };
    const requestBody = spec.multipart
      ? { required: true, content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } } } }
      : spec.body
        ? { required: true, content: { 'application/json': { schema: schema(spec.body, 'input') } } }
        : undefined;
    (paths[spec.path] ??= {})[spec.method] = {
      summary: spec.summary,
      tags: [spec.tag],
      'x-access': spec.access,
      security: spec.access === 'public' ? [] : [{ session: [] }],
      parameters,
      ...(requestBody ? { requestBody } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Omniline API', version: '1', description: 'Cookie session auth; every cookie-authenticated write sends X-CSRF-Token.' },
    servers: [{ url: publicUrl }],
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'omni_session' } } },
    paths,
  };
}
