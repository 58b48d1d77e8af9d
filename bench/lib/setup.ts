import { login, visitorSession, type ApiClient } from '../../tests/helpers/clients.js';
import { OPERATOR_PASSWORD, operatorEmail } from './bench-users.js';
import { inBatches } from './sockets.js';

/**
 * Creates `n` operators (`op<i>@bench.local`), makes them and the admin the members of `lineId`, and
 * signs each one in. Returns their ids and session cookies.
 */
export async function addOperators(url: string, admin: ApiClient, n: number, lineId = 1): Promise<Array<{ id: number; cookie: string; client: ApiClient }>> {
  const ids = await inBatches(n, 8, async (i) => {
    const r = await admin.call('POST', '/api/users', { email: operatorEmail(i), name: `Operator ${i}`, role: 'operator', password: OPERATOR_PASSWORD });
    if (r.status !== 201) throw new Error(`creating operator ${i}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id as number;
  });
  const patched = await admin.call('PATCH', `/api/lines/${lineId}`, { memberIds: [admin.session.user.id, ...ids] });
  if (patched.status !== 200) throw new Error(`adding operators to line ${lineId}: ${patched.status} ${JSON.stringify(patched.body)}`);
  return inBatches(n, 8, async (i) => {
    const client = await login(url, operatorEmail(i), OPERATOR_PASSWORD);
    return { id: ids[i]!, cookie: client.cookie, client };
  });
}

/** One widget session (a signed visitor token) per visitor, named "Visitor <i>". */
export function visitorTokens(url: string, widgetKey: string, n: number, batch = 20): Promise<string[]> {
  return inBatches(n, batch, async (i) => {
    const r = await visitorSession(url, widgetKey, { name: `Visitor ${i}` });
    if (r.status !== 200) throw new Error(`visitor session: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  });
}
