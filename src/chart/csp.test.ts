import { expect, waitUntil } from '@open-wc/testing';
// The page's modules, loaded here first so that the frame finds them compiled and cached.
import '../../server/index.js';
import '../consumption-chart/consumption-chart.js';
import '../surplus-chart/surplus-chart.js';
import '../usage-filters/usage-filters.js';

interface CspPage extends Window {
  cspViolations: string[];
}

describe('charts under Content-Security-Policy: default-src \'self\'; style-src \'self\'', () => {
  it('draw, show their tooltip, legend and table view with zero violations', async function () {
    this.timeout(60_000);
    const frame = document.createElement('iframe');
    frame.style.width = '900px';
    frame.style.height = '1400px';
    frame.src = new URL('./test-csp-page.html', import.meta.url).href;
    document.body.append(frame);
    try {
      await waitUntil(() => (frame.contentWindow as CspPage | null)?.cspViolations !== undefined, 'the page runs its modules', { timeout: 40_000 });
      const page = frame.contentWindow as CspPage;
      const doc = frame.contentDocument!;
      const charts = [...doc.querySelectorAll<HTMLElement & { loading: boolean }>('consumption-chart, surplus-chart')];
      const plotOf = (chart: HTMLElement) => chart.shadowRoot?.querySelector<HTMLElement>('.plot') ?? null;
      await waitUntil(
        // The frame has its own ECharts (and registry): a drawn chart is a canvas and a summary.
        () => charts.every((chart) => !chart.loading && plotOf(chart)?.querySelector('canvas') && chart.shadowRoot!.querySelector('[part~="summary"]')!.textContent),
        'both charts draw',
        { timeout: 15_000 },
      );
      for (const chart of charts) {
        const plot = plotOf(chart)!;
        const box = plot.getBoundingClientRect();
        plot.dispatchEvent(new PointerEvent('pointermove', { clientX: box.left + box.width / 2, clientY: box.top + box.height / 2, bubbles: true }));
        await (chart as unknown as { updateComplete: Promise<unknown> }).updateComplete;
        expect(chart.shadowRoot!.querySelector('[part~="tooltip"]'), 'tooltip').to.not.equal(null);
        chart.shadowRoot!.querySelector<HTMLElement>('[part~="legend-item"]')!.click();
        chart.shadowRoot!.querySelector<HTMLElement>('[part~="table-toggle"]')!.click();
        await (chart as unknown as { updateComplete: Promise<unknown> }).updateComplete;
        expect(chart.shadowRoot!.querySelector('[part~="table"]'), 'table').to.not.equal(null);
      }
      // The surplus chart's panel and the consumption chart's overlay draw under the policy too.
      const [consumption, surplus] = charts;
      surplus!.shadowRoot!.querySelector<HTMLElement>('[part~="who-button"]')!.click();
      await waitUntil(() => surplus!.shadowRoot!.querySelector('[part~="user-link"]'), 'the drawers are listed', { timeout: 15_000 });
      await waitUntil(() => consumption!.shadowRoot!.querySelector('[part~="comparison"]'), 'the previous period is compared', { timeout: 15_000 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(page.cspViolations).to.deep.equal([]);
    } finally {
      frame.remove();
    }
  });
});
