/** Durations for people, in the UI language: `span(90)` → "1 min 30 s", zero → the given word. */
import { useI18n } from 'vue-i18n';
import { formatSpan } from './durations';

export function useSpan(): (seconds: number, zero?: string) => string {
  const { t } = useI18n();
  return (seconds, zero) => formatSpan(seconds, (p) => t(`units.${p.unit}`, { n: p.n }), zero ?? t('units.off'));
}
