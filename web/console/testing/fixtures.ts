/** Builders of DTOs for unit tests. */
import type { ConversationDto, MessageDto } from '../../../shared/conversations';
import type { LineDto } from '../../../shared/lines';
import { AutoMessages, Routing, WorkingHours } from '../../../shared/routing';
import type { UserDto } from '../../../shared/users';

export function conv(over: Partial<ConversationDto> = {}): ConversationDto {
  return {
    id: 1,
    lineId: 1,
    channelId: 1,
    channelType: 'webchat',
    contactId: 1,
    contactName: 'Anna Petrova',
    status: 'open',
    assigneeId: 7,
    lastMessagePreview: 'Where is my order?',
    lastMessageAt: '2024-05-01T10:00:00.000Z',
    waitingSince: null,
    unreadCount: 0,
    firstReplyAt: null,
    closedAt: null,
    rating: null,
    review: null,
    kpi: { firstReplySeconds: null, handleSeconds: null, passOns: 0, startedOutOfHours: false },
    createdAt: '2024-05-01T09:00:00.000Z',
    updatedAt: '2024-05-01T10:00:00.000Z',
    ...over,
  };
}

export function msg(over: Partial<MessageDto> = {}): MessageDto {
  return {
    id: 1,
    conversationId: 1,
    direction: 'in',
    visibility: 'public',
    kind: 'text',
    authorId: null,
    authorName: 'Anna Petrova',
    text: 'Hello',
    html: null,
    attachments: [],
    deliveryStatus: null,
    deliveryError: null,
    createdAt: '2024-05-01T10:00:00.000Z',
    ...over,
  };
}

export function user(over: Partial<UserDto> = {}): UserDto {
  return {
    id: 7,
    email: 'olga@example.com',
    name: 'Olga',
    role: 'operator',
    presence: 'online',
    maxOpenDialogs: 10,
    createdAt: '2024-01-01T00:00:00.000Z',
    ...over,
  };
}

export function line(over: Partial<LineDto> = {}): LineDto {
  return {
    id: 1,
    name: 'Sales',
    memberIds: [7],
    crm: { createLead: true, sourceName: '' },
    routing: Routing.parse({}),
    hours: WorkingHours.parse({}),
    messages: AutoMessages.parse({}),
    createdAt: '2024-01-01T00:00:00.000Z',
    ...over,
  };
}
