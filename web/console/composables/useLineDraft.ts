/**
 * The open-line editor's state: one draft per section that survives switching tabs, what is
 * unsaved, and saving a section with client-side validation first and the hub's 400 pinned to the
 * fields it names. A line changed elsewhere refreshes every section that has no unsaved edits.
 */
import { computed, ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { LineBody, LineDto } from '../../../shared/lines';
import { ApiError } from '../api/http';
import { useLinesStore } from '../stores/lines';
import { draftOf, issuesUnder, sameSection, SECTIONS, serverIssues, validateSection, type FieldIssue, type LineDraft, type Section } from './line-draft';
import { useTracked, type Tracked } from './load-state';

export function useLineDraft(line: Ref<LineDto | null>) {
  const { t } = useI18n();
  const lines = useLinesStore();
  const draft = ref<LineDraft>(draftOf(line.value));
  const base = ref<LineDraft>(draftOf(line.value));
  const issues = ref(new Map<string, FieldIssue>());
  const trackers = Object.fromEntries(SECTIONS.map((s) => [s, useTracked()])) as Record<Section, Tracked>;
  /** The section saved last, for a short "Saved" note. */
  const savedSection = ref<Section | null>(null);

  const dirty = computed(() => Object.fromEntries(SECTIONS.map((s) => [s, !sameSection(draft.value, base.value, s)])) as Record<Section, boolean>);
  const anyDirty = computed(() => SECTIONS.some((s) => dirty.value[s]));

  // Draft and baseline never share objects, or editing one would edit the other.
  watch(line, (next) => {
    const fresh = draftOf(next);
    for (const s of SECTIONS) if (!dirty.value[s]) (draft.value as Record<Section, unknown>)[s] = fresh[s];
    base.value = draftOf(next);
  });
  /** "Saved" shows until the section is edited again. */
  const justSaved = (section: Section) => savedSection.value === section && !dirty.value[section];

  function issueText(i: FieldIssue): string {
    return i.key === 'other' ? i.text : t(`validation.${i.key}`, i.params);
  }
  /** The message for one field, or null. */
  function issue(path: string): string | null {
    const found = issues.value.get(path);
    return found ? issueText(found) : null;
  }
  /** Every message under a prefix (a day row, the holiday list). */
  function issuesAt(prefix: string): string[] {
    return issuesUnder(issues.value, prefix).map(issueText);
  }

  function clearIssues(section: Section): void {
    const prefix = section === 'general' ? ['name', 'memberIds', 'crm'] : [section];
    issues.value = new Map([...issues.value].filter(([path]) => !prefix.some((p) => path === p || path.startsWith(`${p}.`))));
  }

  /** Saves one section; resolves to the saved line, or undefined (the tracker holds the message). */
  async function save(section: Section): Promise<LineDto | undefined> {
    clearIssues(section);
    const { body, issues: found } = validateSection(draft.value, section);
    const tracker = trackers[section];
    if (found.size) {
      issues.value = new Map([...issues.value, ...found]);
      tracker.state.value = 'error';
      tracker.error.value = t('settings.line.fixErrors', { n: found.size });
      return undefined;
    }
    const saved = await tracker.run(async () => {
      try {
        const id = line.value?.id ?? null;
        return id === null ? await lines.save(null, body as LineBody) : await lines.update(id, body);
      } catch (cause) {
        if (cause instanceof ApiError && cause.status === 400) issues.value = new Map([...issues.value, ...serverIssues(cause.details)]);
        throw cause;
      }
    });
    if (saved) {
      // The server's answer is the new baseline of this section, normalised as it stored it.
      (draft.value as Record<Section, unknown>)[section] = draftOf(saved)[section];
      base.value = draftOf(saved);
      savedSection.value = section;
    }
    return saved;
  }

  function discard(section: Section): void {
    (draft.value as Record<Section, unknown>)[section] = draftOf(line.value)[section];
    clearIssues(section);
    trackers[section].error.value = null;
  }

  return { draft, dirty, anyDirty, issues, issue, issuesAt, trackers, justSaved, save, discard };
}

export type LineDraftState = ReturnType<typeof useLineDraft>;
