import { expect } from '@open-wc/testing';
import { changePhrase, countPhrase, ofSpanned, spanPhrase } from './labels.js';

describe('labels: counts, spans and changes', () => {
  it('counts in the locale’s digits, the noun in the plural but for one', () => {
    expect(countPhrase(1, 'user', 'en-US')).to.equal('1 user');
    expect(countPhrase(1440, 'hour', 'de-DE')).to.equal('1.440 hours');
  });

  it('says how long a range lasts in a bucket’s unit, to a tenth, not how many buckets it touches', () => {
    const HOUR = 3_600_000;
    expect(spanPhrase(168 * HOUR, 'hour', 'en-US')).to.equal('168 hours');
    expect(spanPhrase(168 * HOUR, 'day', 'en-US')).to.equal('7 days');
    expect(spanPhrase(720 * HOUR, 'week', 'en-US')).to.equal('4.3 weeks');
    expect(spanPhrase(24 * HOUR, 'minute', 'en-US')).to.equal('1,440 minutes');
    expect(spanPhrase(HOUR, 'hour', 'en-US')).to.equal('1 hour');
    // This month to 22:41 on its 7th day, by hour: 166.7 hours (167 buckets).
    expect(spanPhrase(6 * 24 * HOUR + 22 * HOUR + 41 * 60_000, 'hour', 'en-US')).to.equal('166.7 hours');
    expect(spanPhrase(166.7 * HOUR, 'hour', 'de-DE')).to.equal('166,7 hours');
  });

  it('counts buckets out of those the range spans, so that a partial first and last one do not read as one too many', () => {
    expect(ofSpanned(93, 169, 'hour', 'en-US')).to.equal('in 93 of the 169 hours the range spans');
    expect(ofSpanned(1, 1, 'day', 'de-DE')).to.equal('on 1 of the 1 day the range spans');
  });

  it('writes a change in percent with its sign, to a tenth under 1 %', () => {
    expect(changePhrase((6_091_699 - 6_099_637) / 6_099_637, 'en-US')).to.equal('-0.1%');
    expect(changePhrase(0.0004, 'en-US')).to.equal('0%');
    expect(changePhrase(0.456, 'en-US')).to.equal('+46%');
    expect(changePhrase(-0.32, 'de-DE')).to.equal('-32\u00a0%');
  });
});
