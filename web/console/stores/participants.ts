/** Colleagues in a dialog besides its assignee (invited, or supervisors following silently). */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ParticipantDto } from '../../../shared/conversations';
import { collaborationApi } from '../api/collaboration';

export const useParticipantsStore = defineStore('participants', () => {
  const byConversation = ref(new Map<number, ParticipantDto[]>());

  function of(conversationId: number): ParticipantDto[] {
    return byConversation.value.get(conversationId) ?? [];
  }

  async function load(conversationId: number): Promise<void> {
    const { items } = await collaborationApi.participants(conversationId);
    byConversation.value.set(conversationId, items);
  }

  /** After a `participant.added` push: re-read only dialogs someone is looking at. */
  function refreshIfKnown(conversationId: number): void {
    if (byConversation.value.has(conversationId)) void load(conversationId).catch(() => undefined);
  }

  async function invite(conversationId: number, userId: number): Promise<void> {
    const { items } = await collaborationApi.invite(conversationId, userId);
    byConversation.value.set(conversationId, items);
  }

  async function join(conversationId: number): Promise<void> {
    const { items } = await collaborationApi.join(conversationId);
    byConversation.value.set(conversationId, items);
  }

  function reset(): void {
    byConversation.value = new Map();
  }

  return { byConversation, of, load, refreshIfKnown, invite, join, reset };
});
