import { PRECHAT_FIELDS, type PrechatField } from '../core/config.js';
import { PRECHAT_LABELS, validatePrechat, type PrechatBody, type PrechatValues } from '../core/prechat.js';
import type { WidgetState } from '../state.js';
import { h, show } from './dom.js';

const INPUT: Record<PrechatField, { type: string; autocomplete: string }> = {
  name: { type: 'text', autocomplete: 'name' },
  email: { type: 'email', autocomplete: 'email' },
  phone: { type: 'tel', autocomplete: 'tel' },
};

/** Asks a new visitor for the contact details the line wants before their first message. */
export function createPrechatForm(config: WidgetState['config'], submit: (body: PrechatBody) => void) {
  const fields = PRECHAT_FIELDS.filter((f) => config.prechat[f] !== 'off').map((name) => {
    const required = config.prechat[name] === 'required';
    const error = h('span', { class: 'field-error', id: `ol-${name}-error`, hidden: true });
    const input = h('input', { name, ...INPUT[name], required, 'aria-describedby': error.id, maxlength: '200' });
    const label = h('label', {}, h('span', {}, PRECHAT_LABELS[name], required ? null : h('small', {}, ' (optional)')), input, error);
    return { name, input, error, label };
  });
  const formError = h('p', { class: 'notice', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Start chat');

  const el = h(
    'form',
    { class: 'prechat', novalidate: true, onsubmit: onSubmit },
    h('p', { class: 'intro' }, 'Before we start, tell us how to reach you in case we get disconnected.'),
    ...fields.map((f) => f.label),
    formError,
    button,
  );

  function onSubmit(e: Event): void {
    e.preventDefault();
    const values: PrechatValues = { name: '', email: '', phone: '' };
    for (const f of fields) values[f.name] = f.input.value;
    const result = validatePrechat(config.prechat, values);
    const errors = result.ok ? {} : result.errors;
    for (const f of fields) {
      f.error.textContent = errors[f.name] ?? '';
      show(f.error, Boolean(errors[f.name]));
      f.input.setAttribute('aria-invalid', String(Boolean(errors[f.name])));
    }
    if (result.ok) submit(result.body);
    else fields.find((f) => errors[f.name])?.input.focus();
  }

  function update(s: WidgetState): void {
    button.disabled = s.prechat === 'submitting';
    button.textContent = s.prechat === 'submitting' ? 'Starting…' : 'Start chat';
    formError.textContent = s.prechatError ?? '';
    show(formError, s.prechatError !== null);
  }

  return { el, update, focus: () => fields[0]?.input.focus() };
}
