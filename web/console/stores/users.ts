/** Colleagues and their presence (the presence domain), plus the admin's user management. */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import type { CreateUserBody, Presence, UpdateUserBody, UserDto } from '../../../shared/users';
import { usersApi } from '../api/users';
import { useTracked } from '../composables/load-state';
import { useSessionStore } from './session';

export const useUsersStore = defineStore('users', () => {
  const byId = ref(new Map<number, UserDto>());
  const { state, error, run } = useTracked();
  const session = useSessionStore();

  /** My own entry follows the session, which is fresher than a list fetched while presence changed. */
  function overlaySelf(): void {
    const me = session.user;
    if (me && byId.value.has(me.id)) byId.value.set(me.id, me);
  }
  watch(() => session.user, overlaySelf);

  const list = computed(() => [...byId.value.values()].sort((a, b) => a.name.localeCompare(b.name)));

  function upsert(user: UserDto): void {
    byId.value.set(user.id, user);
  }

  async function load(force = false): Promise<void> {
    if (!force && (state.value === 'loading' || state.value === 'done')) return;
    await run(async () => {
      const { items } = await usersApi.list();
      byId.value = new Map(items.map((u) => [u.id, u]));
      overlaySelf();
    });
  }

  function name(id: number | null | undefined): string | null {
    if (id === null || id === undefined) return null;
    return byId.value.get(id)?.name ?? `#${id}`;
  }

  function applyPresence(userId: number, presence: Presence): void {
    const user = byId.value.get(userId);
    if (user) byId.value.set(userId, { ...user, presence });
  }

  /** Admin actions throw: the form that called them shows the server's message. */
  async function create(body: CreateUserBody): Promise<UserDto> {
    const user = await usersApi.create(body);
    upsert(user);
    return user;
  }

  async function update(id: number, body: UpdateUserBody): Promise<UserDto> {
    const user = await usersApi.update(id, body);
    upsert(user);
    return user;
  }

  async function remove(id: number): Promise<void> {
    await usersApi.remove(id);
    byId.value.delete(id);
  }

  /** A colleague removed elsewhere. */
  function forget(id: number): void {
    byId.value.delete(id);
  }

  function reset(): void {
    byId.value = new Map();
    state.value = 'idle';
  }

  return { byId, list, state, error, load, name, upsert, applyPresence, create, update, remove, forget, reset };
});
