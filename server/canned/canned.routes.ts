import { IsNull, In } from 'typeorm';
import { z } from 'zod';
import { CannedAnswerBody, CannedAnswerDto, UpdateCannedAnswerBody } from '../../shared/canned.js';
import { viewerOf } from '../conversations/access.js';
import type { Database } from '../db/database.js';
import { AppError, notFound } from '../errors/app-error.js';
import type { ApiRouter } from '../http/api-router.js';
import { LineEntity } from '../lines/line.entity.js';
import { CannedAnswerEntity, type CannedAnswer } from './canned.entity.js';

const toDto = (c: CannedAnswer): CannedAnswerDto => ({ id: c.id, lineId: c.lineId, shortcut: c.shortcut, text: c.text });

/** Canned answers: everyone reads those of their lines and the global ones; supervisors and admins keep them. */
export function cannedRoutes(api: ApiRouter, db: Database): void {
  const checkLine = async (lineId: number | null | undefined) => {
    if (lineId && !(await db.manager.existsBy(LineEntity, { id: lineId }))) throw new AppError('validation_failed', `Line ${lineId} does not exist`);
  };

  api.add({
    method: 'get', path: '/api/canned-answers', tag: 'canned answers', access: 'user', summary: 'Canned answers for my lines (and the global ones)',
    response: z.object({ items: z.array(CannedAnswerDto) }),
    async handler({ auth }) {
      const viewer = await viewerOf(db.manager, auth.user);
      const where = viewer.allLines ? {} : [{ lineId: IsNull() }, ...(viewer.lineIds.length ? [{ lineId: In(viewer.lineIds) }] : [])];
      return { items: (await db.manager.find(CannedAnswerEntity, { where, order: { shortcut: 'ASC' } })).map(toDto) };
    },
  });
  api.add({
    method: 'post', path: '/api/canned-answers', tag: 'canned answers', access: ['supervisor', 'admin'], summary: 'Add a canned answer',
    body: CannedAnswerBody, response: CannedAnswerDto, status: 201,
    async handler({ auth, body }) {
      await checkLine(body.lineId);
      return toDto(await db.write((tx) => tx.manager.save(CannedAnswerEntity, { ...body, createdBy: auth.user.id, createdAt: Date.now() })));
    },
  });
  api.add({
    method: 'patch', path: '/api/canned-answers/{id}', tag: 'canned answers', access: ['supervisor', 'admin'], summary: 'Change a canned answer',
    body: UpdateCannedAnswerBody, response: CannedAnswerDto,
    async handler({ params, body }) {
      await checkLine(body.lineId);
      return toDto(await db.write(async ({ manager }) => {
        const c = await manager.findOneBy(CannedAnswerEntity, { id: params.id });
        if (!c) throw notFound('Canned answer');
        return manager.save(CannedAnswerEntity, { ...c, ...body });
      }));
    },
  });
  api.add({
    method: 'delete', path: '/api/canned-answers/{id}', tag: 'canned answers', access: ['supervisor', 'admin'], summary: 'Delete a canned answer',
    async handler({ params }) {
      const r = await db.write(({ manager }) => manager.delete(CannedAnswerEntity, { id: params.id }));
      if (!r.affected) throw notFound('Canned answer');
    },
  });
}
