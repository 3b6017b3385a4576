import { expect, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import type { RequestOptions } from '../api/client.js';
import { UserNames, type UserNamesSource } from './user-names.js';

/** An endpoint's users: what `GET users?id=…` answers, one request counted per call. */
function usersEndpoint(users: readonly { id: string; name?: string }[], asked: URL[] = [], state = { down: false }): RequestOptions {
  return {
    fetch: (async (input: RequestInfo | URL) => {
      const url = new URL(String(input), location.href);
      asked.push(url);
      if (state.down) return Response.json({ error: { code: 'bad_parameter', message: 'refused', param: 'id' } }, { status: 400 });
      const ids = url.searchParams.getAll('id');
      const items = users.filter((user) => ids.includes(user.id));
      return Response.json({ items, total: items.length, asOf: '2026-03-10T12:00:00.000Z', lastEventId: '1' });
    }) as typeof fetch,
  };
}

class NamesHost extends LitElement {
  source: UserNamesSource = { endpoint: undefined, requestOptions: undefined, ids: null };
  readonly names = new UserNames(this, () => this.source);
}
customElements.define('user-names-host', NamesHost);

async function hostWith(source: UserNamesSource): Promise<NamesHost> {
  const host = document.createElement('user-names-host') as NamesHost;
  host.source = source;
  document.body.append(host);
  await host.updateComplete;
  return host;
}

describe('UserNames', () => {
  afterEach(() => document.querySelectorAll('user-names-host').forEach((host) => host.remove()));

  it('names the users who have a name other than their ID, from one request per list', async () => {
    const asked: URL[] = [];
    const requestOptions = usersEndpoint([{ id: 'u1', name: 'Ada' }, { id: 'u2' }, { id: 'u3', name: 'u3' }], asked);
    const host = await hostWith({ endpoint: '/api', requestOptions, ids: ['u1', 'u2', 'u3'] });
    await waitUntil(() => host.names.names.size > 0, 'the names arrive');
    expect([...host.names.names]).to.deep.equal([['u1', 'Ada']]);
    expect(asked).to.have.length(1);
    expect(asked[0]!.searchParams.getAll('id')).to.deep.equal(['u1', 'u2', 'u3']);
    // The same IDs in another order ask nothing again.
    host.source = { ...host.source, ids: ['u3', 'u2', 'u1'] };
    host.requestUpdate();
    await host.updateComplete;
    expect(asked).to.have.length(1);
  });

  it('keeps the names it has when a lookup fails, and forgets them for another endpoint', async () => {
    const asked: URL[] = [];
    const api = { down: false };
    const requestOptions = usersEndpoint([{ id: 'u1', name: 'Ada' }], asked, api);
    const host = await hostWith({ endpoint: '/api', requestOptions, ids: ['u1'] });
    await waitUntil(() => host.names.names.size === 1, 'the names arrive');
    let settled = false;
    host.addEventListener('usage-error', () => (settled = true));
    api.down = true;
    host.source = { endpoint: '/api', requestOptions, ids: ['u1', 'u2'] };
    host.requestUpdate();
    await waitUntil(() => asked.length === 2, 'the names are asked for');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await host.updateComplete;
    expect(settled, 'no error reported').to.equal(false);
    expect(host.names.names.get('u1'), 'a failed lookup takes nothing away').to.equal('Ada');
    // Another endpoint that cannot name anyone: the first one's names are not shown for it.
    host.source = { endpoint: '/other-api', requestOptions, ids: ['u1', 'u2'] };
    host.requestUpdate();
    await waitUntil(() => asked.length === 3, 'the other endpoint is asked');
    await waitUntil(() => host.names.names.size === 0, 'the first endpoint’s names are gone');
    host.source = { endpoint: '/other-api', requestOptions: usersEndpoint([{ id: 'u2', name: 'Grace' }]), ids: ['u1', 'u2'] };
    host.requestUpdate();
    await waitUntil(() => host.names.names.has('u2'), 'the other endpoint’s names arrive');
    expect([...host.names.names]).to.deep.equal([['u2', 'Grace']]);
  });
});
