import { expect, fixture, html } from '@open-wc/testing';

describe('the browser tests\' setup', () => {
  it('reports a failed assertion about an element with its markup, which the runner can clone', async () => {
    const element = await fixture(html`<p id="x">text</p>`);
    let failure: { actual?: unknown } | undefined;
    try {
      expect(element).to.equal(null);
    } catch (error) {
      failure = error as { actual?: unknown };
    }
    expect(failure?.actual).to.equal('<p id="x">text</p>');
    expect(() => structuredClone(failure)).to.not.throw();
  });
});
