/** Builders of DTOs for unit tests. */
import type { IncomingCallDto, PhoneDto } from '../../../shared/calls';
import type { ContactDto, LeadDto } from '../../../shared/contacts';
import type { CallDetails, ConversationDto, MessageDto } from '../../../shared/conversations';
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

export function contact(over: Partial<ContactDto> = {}): ContactDto {
  return {
    id: 1,
    name: 'Anna Petrova',
    email: 'anna@example.com',
    phone: '+4930123456',
    identities: [],
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...over,
  };
}

export function lead(over: Partial<LeadDto> = {}): LeadDto {
  return {
    id: 4,
    contactId: 1,
    lineId: 1,
    title: 'Solar panels for the roof',
    status: 'in_progress',
    source: 'Phone',
    responsibleId: null,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-01-01T00:00:00.000Z',
    ...over,
  };
}

/** A `call.ringing` payload: rings for everyone of line 1, now. */
export function incomingCall(over: Partial<IncomingCallDto> = {}): IncomingCallDto {
  return {
    messageId: 50,
    conversationId: 5,
    channelId: 3,
    channelType: 'twilio',
    callId: 'CA1',
    from: '+4930123456',
    contact: contact(),
    lead: lead(),
    operatorIds: [],
    at: new Date().toISOString(),
    ...over,
  };
}

export function callDetails(over: Partial<CallDetails> = {}): CallDetails {
  return {
    direction: 'in',
    from: '+4930123456',
    to: '+4930999999',
    outcome: 'ringing',
    answeredBy: null,
    startedAt: '2024-05-01T10:00:00.000Z',
    answeredAt: null,
    endedAt: null,
    durationSeconds: null,
    recordingUrl: null,
    ...over,
  };
}

export const twilioPhone = (over: Partial<Extract<PhoneDto, { kind: 'twilio' }>> = {}): PhoneDto => ({
  kind: 'twilio', channelId: 3, lineId: 1, name: 'Sales number', token: 'jwt-1', identity: 'op_7', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), ...over,
});

export const sipPhone = (over: Partial<Extract<PhoneDto, { kind: 'sip' }>> = {}): PhoneDto => ({
  kind: 'sip', channelId: 4, lineId: 1, name: 'Office PBX', wsUrl: 'wss://pbx.example.com/ws', domain: 'pbx.example.com', extension: '1001', password: 'pw', ...over,
});
