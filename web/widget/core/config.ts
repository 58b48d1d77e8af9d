import type { WidgetConfig } from '../../../shared/visitor-socket.js';
import { safeColor } from './color.js';

type FieldMode = WidgetConfig['prechat']['name'];
export type PrechatField = keyof WidgetConfig['prechat'];
export const PRECHAT_FIELDS: readonly PrechatField[] = ['name', 'email', 'phone'];

const DEFAULTS: WidgetConfig = {
  title: 'Chat with us',
  color: '#2563eb',
  welcomeText: '',
  online: true,
  prechat: { name: 'off', email: 'off', phone: 'off' },
  attachments: { enabled: false, maxBytes: 0, allowedTypes: [] },
};

/**
 * Reads `GET /api/widget/:key/config` leniently. The widget lives on someone else's site, so a
 * field the server renamed or dropped falls back to a default instead of leaving a blank page;
 * zod is not used here because it would triple the bundle.
 */
export function parseWidgetConfig(raw: unknown): WidgetConfig {
  if (!isRecord(raw)) throw new Error('Omniline: widget config is not a JSON object');
  const prechat = isRecord(raw.prechat) ? raw.prechat : {};
  const attachments = isRecord(raw.attachments) ? raw.attachments : {};
  return {
    title: nonEmptyString(raw.title) ?? DEFAULTS.title,
    color: safeColor(raw.color, DEFAULTS.color),
    welcomeText: typeof raw.welcomeText === 'string' ? raw.welcomeText : DEFAULTS.welcomeText,
    online: typeof raw.online === 'boolean' ? raw.online : DEFAULTS.online,
    prechat: {
      name: fieldMode(prechat.name),
      email: fieldMode(prechat.email),
      phone: fieldMode(prechat.phone),
    },
    attachments: {
      enabled: attachments.enabled === true,
      maxBytes: Number.isInteger(attachments.maxBytes) && (attachments.maxBytes as number) > 0 ? (attachments.maxBytes as number) : 0,
      allowedTypes: Array.isArray(attachments.allowedTypes)
        ? attachments.allowedTypes.filter((t): t is string => typeof t === 'string' && t.length > 0)
        : [],
    },
  };
}

/** Whether a new visitor sees the pre-chat form: any field the line asks for, even optionally. */
export function wantsPrechat(config: WidgetConfig): boolean {
  return PRECHAT_FIELDS.some((f) => config.prechat[f] !== 'off');
}

function fieldMode(v: unknown): FieldMode {
  return v === 'optional' || v === 'required' ? v : 'off';
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
