import { describe, expect, it } from 'vitest';
import { planParts } from './channel.js';
import { ackStatus, chatIdOf, decodeWa, parseVCard } from './inbound.js';
import { toE164 } from './phone.js';
import type { WaMessageDto } from './protocol.js';

const dto = (over: Partial<WaMessageDto>): WaMessageDto => ({
  id: 'false_79161234567@c.us_3A1', chatId: '79161234567@c.us', isGroup: false, senderPhone: '79161234567', senderName: 'Ivan', authorPhone: null,
  type: 'chat', body: 'hi', timestamp: 1718000000, location: null, vCards: [], media: null, mediaError: null, quotedId: null, ...over,
});

describe('whatsapp-web inbound', () => {
  it('uses the E.164 phone as the sender, the serialized id as the message id', () => {
    expect(decodeWa(dto({}))).toMatchObject({ file: null, message: { externalId: 'false_79161234567@c.us_3A1', sender: { externalId: '+79161234567', phone: '+79161234567', name: 'Ivan' }, text: 'hi', sentAt: '2024-06-10T06:13:20.000Z' } });
  });

  it('keeps a LID chat whose phone is unknown addressable by its chat id', () => {
    expect(decodeWa(dto({ chatId: '123456789012345@lid', senderPhone: null })).message.sender).toEqual({ externalId: '123456789012345@lid', name: 'Ivan' });
    expect(chatIdOf('123456789012345@lid')).toBe('123456789012345@lid');
    expect(chatIdOf('+79161234567')).toBe('79161234567@c.us');
  });

  it('decodes media, voice notes, locations and contact cards', () => {
    const img = decodeWa(dto({ type: 'image', body: 'look', media: { mimetype: 'image/jpeg', data: Buffer.from('x').toString('base64'), filename: null } }));
    expect(img.file).toMatchObject({ mimeType: 'image/jpeg', data: Buffer.from('x') });
    expect(img.message.text).toBe('look');
    expect(decodeWa(dto({ type: 'ptt', body: '', media: { mimetype: 'audio/ogg; codecs=opus', data: '', filename: null } }))).toMatchObject({ file: { mimeType: 'audio/ogg' }, message: { meta: { voice: true } } });
    expect(decodeWa(dto({ type: 'location', location: { latitude: 1.5, longitude: 2.5 } })).message.meta).toMatchObject({ location: { lat: 1.5, lon: 2.5 } });
    expect(parseVCard('BEGIN:VCARD\nFN:Olga\nitem1.TEL;waid=79031234567:+7 903 123-45-67\nEND:VCARD')).toEqual({ name: 'Olga', phones: ['+79031234567'] });
    expect(decodeWa(dto({ type: 'poll_creation', body: '' })).message).toMatchObject({ text: '[unsupported WhatsApp message: poll_creation]' });
  });

  it('names the author of a group message in the text', () => {
    const g = decodeWa(dto({ isGroup: true, chatId: '1203630@g.us', senderPhone: null, authorPhone: '79161234567', body: 'hello all' }));
    expect(g.message).toMatchObject({ sender: { externalId: '1203630@g.us' }, text: 'Ivan: hello all', meta: { author: { phone: '+79161234567' } } });
  });

  it('maps acks to delivery statuses and plans sends', () => {
    expect([-1, 0, 1, 2, 3, 4].map(ackStatus)).toEqual(['failed', null, 'sent', 'delivered', 'read', 'read']);
    const file = (mimeType: string) => ({ id: 1, fileName: 'f', mimeType, size: 1, path: '/tmp/f' });
    expect(planParts('1@c.us', { text: 'hi', attachments: [] })).toEqual([{ chatId: '1@c.us', text: 'hi' }]);
    expect(planParts('1@c.us', { text: 'cap', attachments: [file('image/png'), file('application/pdf')] }).map((p) => [p.text, p.media?.asDocument])).toEqual([['cap', false], ['', true]]);
    expect(toE164('+49 151 1234 5678')).toBe('+4915112345678');
  });
});
