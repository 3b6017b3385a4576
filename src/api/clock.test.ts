import { expect } from '@open-wc/testing';
import { noteServerDate, onServerClock, serverNow } from './clock.js';

const MINUTE = 60_000;

/** An answer's `Date` header for a server whose clock is `offset` ms from the browser's, sent and answered now. */
function answerAt(offset: number): void {
  const now = Date.now();
  noteServerDate(new Date(now + offset).toUTCString(), now, now);
}

describe('the endpoint clock', () => {
  afterEach(() => answerAt(0));

  it('is the browser’s until an answer says otherwise, then the endpoint’s, and tells its listeners once', () => {
    expect(Math.abs(serverNow() - Date.now())).to.be.below(5);
    let told = 0;
    const stop = onServerClock(() => told++);
    answerAt(-10 * MINUTE);
    expect(serverNow() - Date.now()).to.be.closeTo(-10 * MINUTE, 1_500);
    expect(told).to.equal(1);
    // The same clock again (a second's jitter): nothing moves.
    answerAt(-10 * MINUTE + 1_000);
    expect(told).to.equal(1);
    // A day fast.
    answerAt(24 * 60 * MINUTE);
    expect(serverNow() - Date.now()).to.be.closeTo(24 * 60 * MINUTE, 1_500);
    expect(told).to.equal(2);
    stop();
    answerAt(0);
    expect(told, 'stopped').to.equal(2);
  });

  it('leaves a clock within a minute of the browser’s alone, and ignores an answer without a date', () => {
    let told = 0;
    const stop = onServerClock(() => told++);
    answerAt(40_000);
    noteServerDate(null, Date.now(), Date.now());
    noteServerDate('not a date', Date.now(), Date.now());
    expect(Math.abs(serverNow() - Date.now())).to.be.below(5);
    expect(told).to.equal(0);
    stop();
  });

  it('takes the middle of the round trip: a slow answer does not look like a slow clock', () => {
    const sent = Date.now() - 4_000;
    // A server on time answered a request that took 4 s: it wrote its date 2 s after the request left.
    noteServerDate(new Date(sent + 2_000).toUTCString(), sent, Date.now());
    expect(Math.abs(serverNow() - Date.now())).to.be.below(5);
  });
});
