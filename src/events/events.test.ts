import { expect } from '@open-wc/testing';
import { UsageApiError } from '../api/client.js';
import { DEFAULT_FILTER_STATE } from '../filters/state.js';
import { UsageErrorEvent, UsageFiltersChangeEvent, UsageRequestSelectEvent, UsageUserSelectEvent } from './index.js';

/** Dispatches from inside a shadow root and returns what a listener on the document received. */
function dispatchFromShadow<E extends Event>(event: E): E | undefined {
  const host = document.createElement('div');
  const inner = host.attachShadow({ mode: 'open' }).appendChild(document.createElement('span'));
  document.body.append(host);
  let received: E | undefined;
  const listener = (e: Event): void => {
    received = e as E;
  };
  document.addEventListener(event.type, listener);
  try {
    inner.dispatchEvent(event);
  } finally {
    document.removeEventListener(event.type, listener);
    host.remove();
  }
  return received;
}

describe('events', () => {
  it('cross shadow boundaries and bubble to the document with their detail', () => {
    const state = DEFAULT_FILTER_STATE;
    const cases: [Event & { detail: unknown }, string, unknown][] = [
      [new UsageFiltersChangeEvent({ state, from: 'a', to: 'b' }), 'usage-filters-change', { state, from: 'a', to: 'b' }],
      [new UsageUserSelectEvent({ userId: 'u1' }), 'usage-user-select', { userId: 'u1' }],
      [new UsageRequestSelectEvent({ requestId: 'r1' }), 'usage-request-select', { requestId: 'r1' }],
      [new UsageErrorEvent({ code: 'network', message: 'down' }), 'usage-error', { code: 'network', message: 'down' }],
    ];
    for (const [event, type, detail] of cases) {
      expect(event.type).to.equal(type);
      const received = dispatchFromShadow(event);
      expect(received, type).to.equal(event);
      expect(received!.detail).to.deep.equal(detail);
    }
  });

  it('lets a host cancel a user selection, and only that', () => {
    const select = new UsageUserSelectEvent({ userId: 'u1' });
    document.addEventListener('usage-user-select', (e) => e.preventDefault(), { once: true });
    expect(document.dispatchEvent(select)).to.equal(false);
    expect(select.defaultPrevented).to.equal(true);
    expect(new UsageRequestSelectEvent({ requestId: 'r' }).cancelable).to.equal(false);
    expect(new UsageErrorEvent({ code: 'internal', message: 'x' }).cancelable).to.equal(false);
  });

  it('builds a usage-error from a client error, keeping what a host needs', () => {
    const error = new UsageApiError('bad_parameter', 'from must be before to', { status: 400, param: 'from', url: '/api/events' });
    expect(UsageErrorEvent.fromError(error).detail).to.deep.equal({
      code: 'bad_parameter',
      message: 'from must be before to',
      param: 'from',
      status: 400,
      url: '/api/events',
    });
    expect(UsageErrorEvent.fromError(new TypeError('boom')).detail).to.deep.equal({ code: 'internal', message: 'boom' });
    expect(UsageErrorEvent.fromError('odd').detail).to.deep.equal({ code: 'internal', message: 'odd' });
  });
});
