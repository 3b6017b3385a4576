/**
 * The pieces inside a hostile host page: a reset of every element (Tailwind's preflight:
 * `* { margin: 0; padding: 0; border: 0 solid }`) and page-wide text settings (line
 * height, alignment, right-to-left) must not reach what the pieces draw.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { settled } from '../chart/test-chart-fixture.js';
import { demoServer, recorder } from '../consumption-events-table/test-fixture.js';
import '../usage-filters/usage-filters.js';
import '../usage-filter-bar/usage-filter-bar.js';
import '../consumption-chart/consumption-chart.js';
import '../surplus-chart/surplus-chart.js';
import '../consumption-events-table/consumption-events-table.js';

/** Puts `css` in the page for the describe block around the call. */
function withPageStyle(css: string): void {
  let style: HTMLStyleElement;
  before(async () => {
    await demoServer().ready;
    style = document.createElement('style');
    style.textContent = css;
    document.head.append(style);
  });
  after(() => style.remove());
}

/** Every piece in one holder, with the charts drawn; the pieces. */
async function mountDashboard(): Promise<Element[]> {
  const record = recorder();
  const holder = await fixture(html`<usage-filters data-endpoint="/api" time-zone="UTC" locale="en-US" .requestOptions=${record.requestOptions}>
    <usage-filter-bar></usage-filter-bar>
    <consumption-chart></consumption-chart>
    <surplus-chart></surplus-chart>
    <consumption-events-table></consumption-events-table>
  </usage-filters>`);
  await Promise.all([...holder.querySelectorAll<HTMLElement & { loading: boolean }>('consumption-chart, surplus-chart')].map((chart) => settled(chart)));
  return [...holder.querySelectorAll('usage-filter-bar, consumption-chart, surplus-chart, consumption-events-table')];
}

const HOSTILE = `
  *, ::before, ::after { box-sizing: border-box; margin: 0; padding: 0; border: 0 solid; }
  body { font: 20px/3 serif; text-align: center; direction: rtl; white-space: nowrap; letter-spacing: 2px; }
`;

describe('pieces in a host page that resets every element and sets its own text', () => {
  withPageStyle(HOSTILE);

  it('keeps the charts’ cards and the pieces’ own text settings', async () => {
    const pieces = await mountDashboard();
    for (const chart of pieces.filter((piece) => piece.localName.endsWith('-chart'))) {
      const card = getComputedStyle(chart.shadowRoot!.querySelector('[part~="base"]')!);
      expect([card.paddingTop, card.borderTopWidth, card.borderTopStyle], chart.localName).to.deep.equal(['12px', '1px', 'solid']);
    }
    for (const piece of pieces) {
      const own = getComputedStyle(piece);
      expect([own.direction, own.textAlign, own.lineHeight, own.whiteSpace, own.letterSpacing], piece.localName).to.deep.equal([
        'ltr',
        'start',
        'normal',
        'normal',
        'normal',
      ]);
    }
  });
});

describe('pieces in a host page whose rule on every element sets text', () => {
  // A page's rule that matches the element itself beats the element's own :host rule.
  const EVERY_ELEMENT = `* { line-height: 3; letter-spacing: 2px; word-spacing: 4px; text-align: center; text-transform: uppercase;
    white-space: nowrap; direction: rtl; font-style: italic; font-weight: 700; font-family: serif; font-size: 24px; color: #f0f; }`;
  withPageStyle(EVERY_ELEMENT);

  it('keeps what the pieces draw in their own text settings', async () => {
    for (const piece of await mountDashboard()) {
      const drawn = getComputedStyle(piece.shadowRoot!.querySelector('[part~="base"]')!);
      const settings = [drawn.lineHeight, drawn.letterSpacing, drawn.wordSpacing, drawn.textAlign, drawn.textTransform, drawn.whiteSpace];
      expect(settings, piece.localName).to.deep.equal(['normal', 'normal', '0px', 'start', 'none', 'normal']);
      expect([drawn.direction, drawn.fontStyle, drawn.fontWeight, drawn.fontSize, drawn.color], piece.localName).to.deep.equal([
        'ltr',
        'normal',
        '400',
        '14px',
        'rgb(31, 35, 40)',
      ]);
      expect(drawn.fontFamily, piece.localName).to.match(/^system-ui/);
    }
  });
});
