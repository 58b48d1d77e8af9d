/**
 * Canned answers in the composer: watches the caret for a `/word`, and replaces it with the picked
 * answer, placeholders filled from the dialog's contact and the signed-in operator.
 */
import { computed, nextTick, ref, type Ref } from 'vue';
import type { CannedAnswerDto } from '../../../shared/canned';
import type { ConversationDto } from '../../../shared/conversations';
import { useCrmStore } from '../stores/crm';
import { useSessionStore } from '../stores/session';
import { fillPlaceholders, insertAt, slashQuery } from './canned';

export function useCannedComposer(text: Ref<string>, input: Ref<HTMLTextAreaElement | null>, conversation: () => ConversationDto) {
  const crm = useCrmStore();
  const session = useSessionStore();
  const caret = ref(0);
  /** The `/` position the operator closed the popup at (Esc), so it stays closed for that word. */
  const dismissedAt = ref<number | null>(null);

  const slash = computed(() => {
    const q = slashQuery(text.value, caret.value);
    return q && q.start !== dismissedAt.value ? q : null;
  });

  function track() {
    caret.value = input.value?.selectionStart ?? text.value.length;
    if (dismissedAt.value !== null && slashQuery(text.value, caret.value)?.start !== dismissedAt.value) dismissedAt.value = null;
    const c = conversation();
    if (slash.value && !crm.contacts.has(c.contactId)) void crm.loadContact(c.contactId).catch(() => undefined);
  }

  function dismiss() {
    dismissedAt.value = slash.value?.start ?? null;
  }

  /** The answer as the client will read it. */
  function fill(text: string): string {
    const c = conversation();
    const contact = crm.contacts.get(c.contactId);
    return fillPlaceholders(text, {
      contact: { name: contact?.name ?? c.contactName, email: contact?.email, phone: contact?.phone },
      operator: { name: session.user?.name },
    });
  }

  function insert(answer: CannedAnswerDto) {
    const at = slash.value;
    if (!at) return;
    const filled = fill(answer.text);
    const next = insertAt(text.value, at, filled);
    text.value = next.text;
    caret.value = next.caret;
    void nextTick(() => {
      input.value?.focus();
      input.value?.setSelectionRange(next.caret, next.caret);
    });
  }

  return { slash, track, dismiss, fill, insert };
}
