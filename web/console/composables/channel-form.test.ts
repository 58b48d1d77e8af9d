import { describe, expect, it } from 'vitest';
import { changedSettings, initialSettings, webchatDraft } from './channel-form';

describe('channel form rules', () => {
  it('starts e-mail with the usual ports and one folder', () => {
    expect(initialSettings('email')).toEqual({ imapPort: 993, imapTls: 'tls', smtpPort: 587, smtpTls: 'starttls', folders: ['INBOX'], firstSyncDays: 3 });
    expect(initialSettings('whatsapp_cloud')).toEqual({});
  });

  it('turns stored site chat settings into a draft', () => {
    const d = webchatDraft({ allowedOrigins: ['https://a.example', 'https://b.example'], title: 'Hi', prechat: { phone: 'required' } });
    expect(d.origins).toBe('https://a.example\nhttps://b.example');
    expect(d.title).toBe('Hi');
    expect(d.color).toBe('#2563eb');
    expect(d.prechat).toEqual({ name: 'optional', email: 'optional', phone: 'required' });
  });

  it('sends only what changed, leaving masked secrets out', () => {
    const stored = { botToken: '********', mode: 'auto', folders: ['INBOX'] };
    expect(changedSettings(stored, { botToken: '********', mode: 'polling', folders: ['INBOX'] })).toEqual({ mode: 'polling' });
    expect(changedSettings(stored, { ...stored, folders: ['INBOX', 'Sales'] })).toEqual({ folders: ['INBOX', 'Sales'] });
    expect(changedSettings(stored, { ...stored, botToken: '1:new' })).toEqual({ botToken: '1:new' });
  });
});
