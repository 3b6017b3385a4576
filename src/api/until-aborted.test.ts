import { expect } from '@open-wc/testing';
import { untilAborted } from './client.js';

describe('untilAborted', () => {
  it('leaves no unhandled rejection behind when the signal was aborted before the call', async () => {
    const unhandled: unknown[] = [];
    const listener = (event: PromiseRejectionEvent): void => {
      unhandled.push(event.reason);
      event.preventDefault();
    };
    window.addEventListener('unhandledrejection', listener);
    try {
      const controller = new AbortController();
      controller.abort();
      // A fetch given an aborted signal rejects at once; only untilAborted sees its promise.
      const fetchLike = Promise.reject(new DOMException('aborted', 'AbortError'));
      const error = await untilAborted(fetchLike, controller.signal).catch((e: unknown) => e);
      expect(error).to.equal(controller.signal.reason);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).to.deep.equal([]);
    } finally {
      window.removeEventListener('unhandledrejection', listener);
    }
  });
});
