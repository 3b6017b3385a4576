/**
 * Loaded in every browser test page just after the test framework, before the test file
 * (web-test-runner.config.mjs; loaded before it, its chai plugins registered a second time
 * and made every axe check about ten times slower).
 *
 * A failed assertion about a DOM node (`expect(element).to.equal(null)`) carries the node as
 * its `actual` or `expected`; the runner's report of the failure cannot clone a node
 * (DataCloneError, modernweb-dev/web#2967), and the whole file then hangs until the run's
 * `testsFinishTimeout` (5 minutes) instead of failing with its message. The error keeps the
 * node's markup instead.
 */
import { chai } from '@open-wc/testing';

const MARKUP_SHOWN = 300;

function cloneable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneable);
  if (!(value instanceof Node)) return value;
  return value instanceof Element ? value.outerHTML.slice(0, MARKUP_SHOWN) : value.nodeName;
}

const assert = chai.Assertion.prototype.assert;
chai.Assertion.prototype.assert = function (this: Chai.AssertionStatic, ...args: Parameters<typeof assert>) {
  try {
    assert.apply(this, args);
  } catch (error) {
    if (error && typeof error === 'object') {
      const failure = error as { actual?: unknown; expected?: unknown };
      failure.actual = cloneable(failure.actual);
      failure.expected = cloneable(failure.expected);
    }
    throw error;
  }
};
