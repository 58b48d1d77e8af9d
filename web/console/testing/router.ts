/** A memory router with the inbox route, for components that link to dialogs. */
import { createMemoryHistory, createRouter } from 'vue-router';

const Empty = { render: () => null };

export function testRouter() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: Empty },
      { path: '/inbox/:scope(mine|queue|all|closed)/:id(\\d+)?', name: 'inbox', component: Empty },
    ],
  });
}
