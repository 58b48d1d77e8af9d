// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Chat } from '../chat.js';
import { parseWidgetConfig } from '../core/config.js';
import { initialState, type WidgetState } from '../state.js';
import { mountView } from './view.js';

const chat = (): Chat => ({ start: vi.fn(), submitPrechat: vi.fn(), send: vi.fn(), attach: vi.fn(), retry: vi.fn(), typed: vi.fn(), markRead: vi.fn(), rate: vi.fn(), leaveContact: vi.fn() });

function mount(overrides: Partial<WidgetState> = {}, config: object = {}) {
  let state: WidgetState = { ...initialState(parseWidgetConfig({ title: 'Northwind Bikes', ...config })), ...overrides };
  const c = chat();
  const actions = { toggle: vi.fn(), close: vi.fn() };
  const view = mountView(state, 'https://hub.example', c, actions);
  const root = document.querySelector('omniline-widget')!.shadowRoot!;
  const render = (patch: Partial<WidgetState>) => view.render((state = { ...state, ...patch }));
  view.render(state);
  return { root, render, chat: c, actions, $: (sel: string) => root.querySelector<HTMLElement>(sel) };
}

afterEach(() => document.body.replaceChildren());

describe('mountView', () => {
  it('draws only the launcher in a shadow root until opened', () => {
    const { $, render } = mount();
    expect($('.launcher')?.getAttribute('aria-label')).toBe('Open chat');
    expect($('.panel')?.hidden).toBe(true);
    render({ open: true });
    expect($('.panel')?.hidden).toBe(false);
    expect($('h2')?.textContent).toBe('Northwind Bikes');
    expect($('.launcher')?.getAttribute('aria-expanded')).toBe('true');
  });

  it('closes on Escape', () => {
    const { $, actions } = mount({ open: true });
    $('textarea')?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    expect(actions.close).toHaveBeenCalled();
  });

  it('sends on Enter but not on Shift+Enter', () => {
    const { $, chat: c } = mount({ open: true });
    const input = $('textarea') as HTMLTextAreaElement;
    input.value = 'line one';
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true }));
    expect(c.send).not.toHaveBeenCalled();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    expect(c.send).toHaveBeenCalledWith('line one');
    expect(input.value).toBe('');
  });

  it('badges unread operator replies while closed', () => {
    const reply = { id: 4, clientId: null, direction: 'out' as const, text: 'Hi!', authorName: 'Anna', attachments: [], createdAt: '2025-05-01T10:00:00.000Z' };
    const { $, render } = mount();
    render({ timeline: { messages: [reply], outgoing: [] }, lastReadId: 0 });
    expect($('.badge')?.hidden).toBe(false);
    expect($('.badge')?.textContent).toBe('1');
    expect($('.launcher')?.getAttribute('aria-label')).toBe('Open chat, 1 unread');
  });

  it('shows the offline banner, the reconnecting notice and the operator typing', () => {
    const { $, render } = mount({ open: true });
    expect($('.offline')?.hidden).toBe(true);
    render({ online: false, link: 'reconnecting', operatorTyping: 'Anna' });
    expect($('.offline')?.textContent).toBe("We're offline — leave a message and we'll reply here");
    expect($('.link')?.textContent).toBe('Reconnecting…');
    expect($('.typing')?.textContent).toBe('Anna is typing…');
  });

  it('asks for required pre-chat fields before showing the composer', () => {
    const { $, chat: c } = mount({ open: true, prechat: 'needed' }, { prechat: { name: 'required', email: 'optional', phone: 'off' } });
    expect($('.composer')?.hidden).toBe(true);
    expect($('input[name=phone]')).toBeNull();
    ($('.prechat') as HTMLFormElement).requestSubmit();
    expect(c.submitPrechat).not.toHaveBeenCalled();
    expect($('#ol-name-error')?.textContent).toBe('Name is required.');
    ($('input[name=name]') as HTMLInputElement).value = 'Ada';
    ($('.prechat') as HTMLFormElement).requestSubmit();
    expect(c.submitPrechat).toHaveBeenCalledWith({ name: 'Ada' });
  });

  it('offers the attach button only when the line accepts files', () => {
    expect(mount().$('.attach')).toBeNull();
    document.body.replaceChildren();
    expect(mount({}, { attachments: { enabled: true, maxBytes: 100, allowedTypes: ['image/*'] } }).$('input[type=file]')?.getAttribute('accept')).toBe('image/*');
  });
});
