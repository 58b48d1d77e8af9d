import { describe, expect, it } from 'vitest';
import { changedSettings, initialSettings, staysOpenAfterCreate, twilioWebhooks, webchatDraft } from './channel-form';

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

  it('lists the Twilio webhooks at the hub’s public address when the channel names it', () => {
    expect(twilioWebhooks({ id: 7, statusReason: null }, 'https://console.example').map((h) => h.url)).toEqual([
      'https://console.example/hooks/twilio/7/voice',
      'https://console.example/hooks/twilio/7/status',
      'https://console.example/hooks/twilio/7/sms',
      'https://console.example/hooks/twilio/7/sms-status',
    ]);
    const named = twilioWebhooks({ id: 7, statusReason: 'Set the webhook https://hub.example.com/hooks/twilio/7/voice in Twilio' }, 'http://localhost:5173');
    expect(named[0]).toEqual({ hook: 'voice', url: 'https://hub.example.com/hooks/twilio/7/voice' });
  });

  it('starts Twilio with its ring time, and keeps phone channels open after creating them', () => {
    expect(initialSettings('twilio')).toEqual({ ringSeconds: 20 });
    expect(initialSettings('sip')).toEqual({});
    expect(['whatsapp', 'twilio', 'sip', 'telegram'].map((t) => staysOpenAfterCreate(t as 'sip'))).toEqual([true, true, true, false]);
  });
});
