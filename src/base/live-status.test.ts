import { expect, html } from '@open-wc/testing';
import { mount, unmountAll } from './test-piece.js';
import { renderLiveStatus } from './live-status.js';

afterEach(unmountAll);

const statusOf = (el: HTMLElement) => el.querySelector('[part~="live-status"]');

describe('live status', () => {
  it('renders nothing when not live', () => {
    expect(mount(html`${renderLiveStatus(null, '', () => {}, 'action')}`).children).to.have.length(0);
  });

  it('says each status in words, as plain text (read where it stands, not announced at each change), without Reconnect while the stream is followed', async () => {
    const words = { connecting: 'Connecting…', open: 'Live', reconnecting: 'Reconnecting…' } as const;
    for (const [status, text] of Object.entries(words)) {
      const el = mount(html`${renderLiveStatus(status as keyof typeof words, 'The live stream ended.', () => {}, 'action')}`);
      expect(statusOf(el)!.getAttribute('data-status')).to.equal(status);
      expect(statusOf(el)!.textContent).to.equal(text);
      expect(statusOf(el)!.getAttribute('role')).to.equal(null);
      expect(el.querySelector('[part~="live-retry"]')).to.equal(null);
      await expect(el).to.be.accessible();
    }
  });

  it('says why the endpoint refused the stream and offers Reconnect (with the piece\'s button class), which calls back', async () => {
    let reconnected = 0;
    const el = mount(html`${renderLiveStatus('failed', 'The token has expired.', () => reconnected++, 'action')}`);
    expect(statusOf(el)!.textContent).to.equal('Live updates stopped: The token has expired.');
    const button = el.querySelector<HTMLButtonElement>('[part~="live-retry"]')!;
    expect(button.className).to.equal('action');
    expect(button.type).to.equal('button');
    expect(button.textContent!.trim()).to.equal('Reconnect');
    button.click();
    expect(reconnected).to.equal(1);
    await expect(el).to.be.accessible();
  });
});
