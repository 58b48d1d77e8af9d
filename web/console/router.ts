/** Routes and the guard that sends strangers to the login page and keeps roles in their lanes. */
import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from './stores/session';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    role?: 'supervisor' | 'admin';
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { public: true } },
  { path: '/', redirect: '/inbox/mine' },
  { path: '/inbox', redirect: '/inbox/mine' },
  {
    path: '/inbox/:scope(mine|queue|all|closed)/:id(\\d+)?',
    name: 'inbox',
    component: () => import('./pages/InboxPage.vue'),
  },
  { path: '/supervisor', name: 'supervisor', component: () => import('./pages/SupervisorPage.vue'), meta: { role: 'supervisor' } },
  {
    path: '/settings',
    component: () => import('./pages/SettingsPage.vue'),
    meta: { role: 'admin' },
    children: [
      { path: '', redirect: () => (useSessionStore().isAdmin ? '/settings/users' : '/settings/canned') },
      { path: 'users', name: 'settings-users', component: () => import('./components/settings/SettingsUsers.vue') },
      {
        // The editor of one line and its section: /settings/lines/3/hours, /settings/lines/new.
        path: 'lines/:id(\\d+|new)?/:section(general|routing|hours|messages)?',
        name: 'settings-lines',
        component: () => import('./components/settings/SettingsLines.vue'),
      },
      { path: 'channels', name: 'settings-channels', component: () => import('./components/settings/SettingsChannels.vue') },
      {
        path: 'canned',
        name: 'settings-canned',
        component: () => import('./components/settings/SettingsCanned.vue'),
        meta: { role: 'supervisor' },
      },
    ],
  },
  { path: '/profile', name: 'profile', component: () => import('./pages/ProfilePage.vue') },
  { path: '/:rest(.*)*', redirect: '/inbox/mine' },
];

export const router = createRouter({ history: createWebHistory('/'), routes });

router.beforeEach((to) => {
  const session = useSessionStore();
  if (to.meta.public) {
    if (to.name === 'login' && session.isAuthenticated) return typeof to.query.redirect === 'string' ? to.query.redirect : '/inbox/mine';
    return true;
  }
  if (!session.isAuthenticated) return { name: 'login', query: to.fullPath !== '/' && to.fullPath !== '/inbox/mine' ? { redirect: to.fullPath } : {} };
  if (to.meta.role === 'admin' && !session.isAdmin) return '/inbox/mine';
  if (to.meta.role === 'supervisor' && !session.isSupervisor) return '/inbox/mine';
  if (to.name === 'inbox' && to.params.scope === 'all' && !session.isSupervisor) return '/inbox/mine';
  return true;
});
