/** A test-only piece: exposes what the base hands a subclass, for the base and filters tests. */
import { html, render, type TemplateResult } from 'lit';
import type { UsageErrorEvent, UsageFiltersChangeEvent } from '../events/index.js';
import type { UsageFilterState } from '../filters/state.js';
import { UsageElement, type FilterView } from './usage-element.js';

export class TestUsagePiece extends UsageElement {
  /** Every `filterView` the piece received, in order. */
  views: FilterView[] = [];

  get view(): FilterView {
    return this.filterView;
  }

  act(patch: Partial<UsageFilterState>, transient = false): void {
    this.updateFilters(patch, { transient });
  }

  fail(error: unknown): void {
    this.reportError(error);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (this.views.at(-1) !== this.filterView) this.views.push(this.filterView);
  }

  override render() {
    return html`<span>${this.filterView.from}</span>`;
  }
}

if (!customElements.get('test-usage-piece')) customElements.define('test-usage-piece', TestUsagePiece);

declare global {
  interface HTMLElementTagNameMap {
    'test-usage-piece': TestUsagePiece;
  }
}

const mounted: HTMLElement[] = [];

/**
 * Renders a template into a fresh container in the document, for templates whose root is
 * a plain element: `fixture()` waits for an animation frame there, which a test page in
 * the background does not get. Call `unmountAll` after each test.
 */
export function mount(template: TemplateResult): HTMLElement {
  const container = document.createElement('div');
  document.body.append(container);
  render(template, container);
  mounted.push(container);
  return container;
}

export function unmountAll(): void {
  for (const container of mounted.splice(0)) container.remove();
}

export interface UsageEventLog {
  errors: UsageErrorEvent[];
  changes: UsageFiltersChangeEvent[];
  warnings: unknown[][];
}

/**
 * Records, for each test of the calling file, every `usage-error` and
 * `usage-filters-change` that reaches the document and every console warning (silenced).
 * The arrays are emptied in place before each test.
 */
export function recordUsageEvents(): UsageEventLog {
  const log: UsageEventLog = { errors: [], changes: [], warnings: [] };
  const realWarn = console.warn;
  const onError = (event: UsageErrorEvent) => log.errors.push(event);
  const onChange = (event: UsageFiltersChangeEvent) => log.changes.push(event);
  beforeEach(() => {
    log.errors.length = 0;
    log.changes.length = 0;
    log.warnings.length = 0;
    console.warn = (...args: unknown[]) => log.warnings.push(args);
    document.addEventListener('usage-error', onError);
    document.addEventListener('usage-filters-change', onChange);
  });
  afterEach(() => {
    console.warn = realWarn;
    document.removeEventListener('usage-error', onError);
    document.removeEventListener('usage-filters-change', onChange);
  });
  return log;
}
