import { describe, expect, it } from 'vitest';
import type { LineDto } from '../../../shared/lines';
import { AutoMessages, Routing, WorkingHours } from '../../../shared/routing';
import { bodyOf, draftOf, issuesUnder, sameSection, serverIssues, validateSection } from './line-draft';

const line: LineDto = {
  id: 3,
  name: 'Sales',
  memberIds: [7, 8],
  crm: { createLead: true, sourceName: 'Site' },
  routing: Routing.parse({ mode: 'in_order' }),
  hours: WorkingHours.parse({ enabled: true, timezone: 'Europe/Berlin' }),
  messages: AutoMessages.parse({ welcome: 'Hi {{contact.name}}' }),
  createdAt: '2024-01-01T00:00:00.000Z',
};

describe('line draft', () => {
  it('copies the line so edits never touch the store', () => {
    const d = draftOf(line);
    d.hours.week.mon.push({ from: '20:00', to: '22:00' });
    expect(line.hours.week.mon).toHaveLength(1);
    expect(sameSection(d, draftOf(line), 'hours')).toBe(false);
    expect(sameSection(d, draftOf(line), 'routing')).toBe(true);
  });

  it('sends a whole section, never a part of it', () => {
    const d = draftOf(line);
    d.routing.passOnSeconds = 120;
    expect(bodyOf(d, 'routing')).toEqual({ routing: { ...line.routing, passOnSeconds: 120 } });
    expect(Object.keys(bodyOf(d, 'hours'))).toEqual(['hours']);
    d.general.name = '  Support ';
    expect(bodyOf(d, 'general')).toEqual({ name: 'Support', memberIds: [7, 8], crm: { createLead: true, sourceName: 'Site' } });
  });

  it('starts a new line with the schema defaults', () => {
    const d = draftOf(null);
    expect(d.routing).toEqual(Routing.parse({}));
    expect(d.hours.week.sat).toEqual([]);
    expect(validateSection(d, 'general').issues.get('name')?.key).toBe('required');
  });

  it('validates with the shared schema and pins each problem to its field', () => {
    const d = draftOf(line);
    d.hours.week.mon = [{ from: '9:00', to: '18:00' }, { from: '10:00', to: '10:00' }];
    d.hours.timezone = 'Mars/Olympus';
    d.hours.holidays = ['2026-02-30x'];
    const { issues } = validateSection(d, 'hours');
    expect(issues.get('hours.week.mon.0.from')?.key).toBe('time');
    expect(issues.get('hours.week.mon.1')?.key).toBe('sameMinute');
    expect(issues.get('hours.timezone')?.key).toBe('timezone');
    expect(issues.get('hours.holidays.0')?.key).toBe('holiday');
    expect(issuesUnder(issues, 'hours.week.mon')).toHaveLength(2);
  });

  it('explains numbers out of range', () => {
    const d = draftOf(line);
    d.routing.passOnSeconds = 50_000;
    d.routing.reopenMinutes = -1;
    const { issues } = validateSection(d, 'routing');
    expect(issues.get('routing.passOnSeconds')).toMatchObject({ key: 'max', params: { max: 43_200 } });
    expect(issues.get('routing.reopenMinutes')).toMatchObject({ key: 'min', params: { max: 0 } });
    d.hours.week.tue = Array.from({ length: 7 }, () => ({ from: '09:00', to: '10:00' }));
    expect(validateSection(d, 'hours').issues.get('hours.week.tue')?.key).toBe('maxItems');
  });

  it('keys the hub 400 details like the client issues', () => {
    const details = { issues: [{ path: ['body', 'hours', 'timezone'], message: 'an IANA time zone such as Europe/Berlin' }, { path: ['body'], message: 'x' }] };
    const issues = serverIssues(details);
    expect(issues.get('hours.timezone')?.text).toBe('an IANA time zone such as Europe/Berlin');
    expect(serverIssues(undefined).size).toBe(0);
  });
});
