import { z } from 'zod';
import { ChannelDto, CreateChannelBody, TestChannelBody, TestChannelResult, UpdateChannelBody } from '../../shared/channels.js';
import type { ApiRouter } from '../http/api-router.js';
import type { ChannelService } from './channel.service.js';
import { TemplateDto } from '../../shared/templates.js';

export function channelRoutes(api: ApiRouter, channels: ChannelService): void {
  api.add({
    method: 'get', path: '/api/channels', tag: 'channels', access: 'user',
    summary: 'Channels with live status and capabilities; settings (secrets masked) for admins only',
    response: z.object({ items: z.array(ChannelDto) }),
    handler: async ({ auth }) => ({ items: (await channels.list()).map((c) => channels.toDto(c, auth.user.role === 'admin')) }),
  });
  api.add({
    method: 'post', path: '/api/channels', tag: 'channels', access: ['admin'], summary: 'Connect a channel; its settings are checked by its connector',
    body: CreateChannelBody, response: ChannelDto, status: 201,
    handler: async ({ body }) => channels.toDto(await channels.create(body), true),
  });
  api.add({
    method: 'get', path: '/api/channels/{id}/templates', tag: 'channels', access: 'user',
    summary: "The channel provider's approved message templates (WhatsApp Cloud API)", response: z.object({ items: z.array(TemplateDto) }),
    handler: async ({ params }) => ({ items: await channels.templates(params.id) }),
  });
  api.add({
    method: 'post', path: '/api/channels/test', tag: 'channels', access: ['admin'],
    summary: 'Try channel settings against the provider without saving; says what is wrong', body: TestChannelBody, response: TestChannelResult,
    handler: ({ body }) => channels.test(body.type, body.settings, body.channelId),
  });
  api.add({
    method: 'patch', path: '/api/channels/{id}', tag: 'channels', access: ['admin'], summary: 'Change a channel; the connector restarts with the new settings',
    body: UpdateChannelBody, response: ChannelDto,
    handler: async ({ params, body }) => channels.toDto(await channels.update(params.id, body), true),
  });
  api.add({
    method: 'delete', path: '/api/channels/{id}', tag: 'channels', access: ['admin'], summary: 'Delete a channel that has no conversations',
    handler: ({ params }) => channels.remove(params.id),
  });
}
