import { expect, fixture, html } from '@open-wc/testing';
import { css, LitElement } from 'lit';
import { mount, unmountAll } from './test-piece.js';
import { THEME_TOKENS, drawnToken, pieceThemeStyles, themeStyles, type ThemeTokens } from './theme.js';
import { UsageElement } from './usage-element.js';
import '../usage-filters/usage-filters.js';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const TEXT = ['--usage-color-text', '--usage-color-muted', '--usage-color-accent', '--usage-color-danger'];
const GRAPHIC = [
  '--usage-color-border',
  '--usage-color-focus',
  ...Array.from({ length: 8 }, (_, i) => `--usage-color-series-${i + 1}`),
  '--usage-color-allocated',
  '--usage-color-surplus',
  '--usage-color-hybrid',
  '--usage-color-input',
  '--usage-color-output',
];

class ThemedPiece extends UsageElement {
  static override styles = [themeStyles, css`:host { display: block; background: var(--usage-color-surface); }`];
}
customElements.define('themed-piece', ThemedPiece);

class PlainThemed extends LitElement {
  static override styles = themeStyles;
}
customElements.define('plain-themed', PlainThemed);

class PieceThemed extends LitElement {
  static override styles = pieceThemeStyles;
}
customElements.define('piece-themed', PieceThemed);

describe('theme tokens', () => {
  for (const [name, tokens] of Object.entries(THEME_TOKENS) as [string, ThemeTokens][]) {
    const surface = tokens['--usage-color-surface']!;
    it(`${name}: every text colour meets WCAG AA (4.5:1) on the surface`, () => {
      for (const token of TEXT) expect(contrast(tokens[token]!, surface), token).to.be.at.least(4.5);
    });
    it(`${name}: every graphic colour meets 3:1 on the surface`, () => {
      for (const token of GRAPHIC) expect(contrast(tokens[token]!, surface), token).to.be.at.least(3);
    });
    it(`${name}: defines every token of the design`, () => {
      expect(Object.keys(tokens)).to.have.members([...TEXT, ...GRAPHIC, '--usage-color-surface']);
    });
  }

  it('applies light by default, dark on theme="dark", and the holder theme through the custom state', async () => {
    const root = mount(html`
      <plain-themed id="plain"></plain-themed>
      <plain-themed id="dark" theme="dark"></plain-themed>
      <usage-filters theme="dark"><themed-piece id="inherited"></themed-piece><themed-piece id="own" theme="light"></themed-piece></usage-filters>
    `);
    const read = (id: string, token: string) => getComputedStyle(root.querySelector(`#${id}`)!).getPropertyValue(drawnToken(token)).trim();
    await (root.querySelector('#inherited') as ThemedPiece).updateComplete;
    expect(read('plain', '--usage-color-surface')).to.equal(THEME_TOKENS.light['--usage-color-surface']);
    expect(read('dark', '--usage-color-surface')).to.equal(THEME_TOKENS.dark['--usage-color-surface']);
    expect(read('inherited', '--usage-color-text')).to.equal(THEME_TOKENS.dark['--usage-color-text']);
    expect(read('own', '--usage-color-text')).to.equal(THEME_TOKENS.light['--usage-color-text']);
    expect(read('plain', '--usage-space')).to.equal('8px');
    unmountAll();
  });

  it('gives the table and the filter bar every token but the chart series, in both themes', async () => {
    const root = mount(html`<piece-themed id="light"></piece-themed><piece-themed id="dark" theme="dark"></piece-themed>`);
    for (const [id, tokens] of Object.entries(THEME_TOKENS) as [string, ThemeTokens][]) {
      const style = getComputedStyle(root.querySelector(`#${id}`)!);
      for (const [token, value] of Object.entries(tokens)) {
        expect(style.getPropertyValue(drawnToken(token)).trim(), `${id} ${token}`).to.equal(token.startsWith('--usage-color-series-') ? '' : value);
      }
    }
    unmountAll();
  });

  it('prints as shown, surfaces included: the dark theme is not light text on white paper', async () => {
    const root = mount(html`<plain-themed id="dark" theme="dark"></plain-themed><piece-themed id="piece" theme="dark"></piece-themed>`);
    for (const id of ['dark', 'piece']) expect(getComputedStyle(root.querySelector(`#${id}`)!).printColorAdjust, id).to.equal('exact');
    unmountAll();
  });

  it('lets a host override a token on the element', async () => {
    const el = await fixture(html`<plain-themed style="--usage-color-accent: #123456"></plain-themed>`);
    expect(getComputedStyle(el).getPropertyValue(drawnToken('--usage-color-accent')).trim()).to.equal('#123456');
  });

  it('takes a token the page sets on :root or on a wrapper, in either theme, and leaves the public token unset', async () => {
    const rootStyle = document.documentElement.style;
    rootStyle.setProperty('--usage-color-accent', '#123456');
    rootStyle.setProperty('--usage-space', '5px');
    try {
      const root = mount(html`
        <plain-themed id="light"></plain-themed>
        <plain-themed id="dark" theme="dark"></plain-themed>
        <div style="--usage-color-text: #654321"><usage-filters theme="dark"><themed-piece id="held"></themed-piece></usage-filters></div>
      `);
      await (root.querySelector('#held') as ThemedPiece).updateComplete;
      const read = (id: string, token: string) => getComputedStyle(root.querySelector(`#${id}`)!).getPropertyValue(drawnToken(token)).trim();
      for (const id of ['light', 'dark', 'held']) {
        expect(read(id, '--usage-color-accent'), id).to.equal('#123456');
        expect(read(id, '--usage-space'), id).to.equal('5px');
      }
      // The wrapper's token reaches the piece through its holder; what the page left alone
      // keeps the theme's value.
      expect(read('held', '--usage-color-text')).to.equal('#654321');
      expect(read('held', '--usage-color-surface')).to.equal(THEME_TOKENS.dark['--usage-color-surface']);
      expect(read('light', '--usage-color-text')).to.equal(THEME_TOKENS.light['--usage-color-text']);
      // The element sets only the twins: the public token is the page's own, or unset.
      expect(getComputedStyle(root.querySelector('#dark')!).getPropertyValue('--usage-color-surface').trim()).to.equal('');
      // What the element draws: its text in the colour the wrapper set.
      const held = root.querySelector('#held')!;
      expect(getComputedStyle(held).color).to.equal('rgb(101, 67, 33)');
    } finally {
      rootStyle.removeProperty('--usage-color-accent');
      rootStyle.removeProperty('--usage-space');
      unmountAll();
    }
  });
});
