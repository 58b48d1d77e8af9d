import { z } from 'zod';
import { LineBody, LineDto, UpdateLineBody } from '../../shared/lines.js';
import type { ApiRouter } from '../http/api-router.js';
import type { LineService } from './line.service.js';

export function lineRoutes(api: ApiRouter, lines: LineService): void {
  api.add({
    method: 'get', path: '/api/lines', tag: 'lines', access: 'user', summary: 'Open lines (all of them: operators transfer across lines)',
    response: z.object({ items: z.array(LineDto) }),
    handler: async () => ({ items: await lines.list() }),
  });
  api.add({
    method: 'get', path: '/api/lines/{id}', tag: 'lines', access: 'user', summary: 'One open line', response: LineDto,
    handler: ({ params }) => lines.get(params.id),
  });
  api.add({
    method: 'post', path: '/api/lines', tag: 'lines', access: ['admin'], summary: 'Create an open line', body: LineBody, response: LineDto, status: 201,
    handler: ({ body }) => lines.create(body),
  });
  api.add({
    method: 'patch', path: '/api/lines/{id}', tag: 'lines', access: ['admin'], summary: 'Change an open line (members in queue order)',
    body: UpdateLineBody, response: LineDto,
    handler: ({ params, body }) => lines.update(params.id, body),
  });
}
