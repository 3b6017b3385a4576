/**
 * The loading, empty and error states every piece shows the same way: a progress
 * indicator over the old content, dimmed; a message naming the active filters; an alert
 * with the endpoint's own message and a Retry button.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { FilterPiece, RangePreset, UsageFilterState } from '../filters/state.js';
import { formatAmount } from '../format/amount.js';
import { formatRange } from '../format/datetime.js';
import { holdUntil, mayPass, retryByItself, retryHold } from './retry-hold.js';

export const stateStyles = css`
  /* Read by screen readers, not shown. */
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .usage-loading-frame {
    position: relative;
  }
  .usage-loading-frame[data-loading] > .usage-loading-content {
    opacity: 0.5;
    transition: opacity 0.2s;
  }
  /* The pointer is blocked by a layer over the content, not by pointer-events: none on it:
     that property is inherited, so setting it restyled every element of the content (a
     500-row table: about 900 elements and a full layout, tens of ms, as each load began). */
  .usage-loading-frame[data-loading]::after {
    content: '';
    position: absolute;
    inset: 0;
    z-index: 1;
  }
  .usage-progress {
    position: absolute;
    inset: 0 0 auto 0;
    height: 3px;
    overflow: hidden;
    background: color-mix(in srgb, var(--_usage-color-accent) 20%, transparent);
    z-index: 1;
  }
  .usage-progress::after {
    content: '';
    position: absolute;
    inset: 0 auto 0 0;
    width: 40%;
    background: var(--_usage-color-accent);
    animation: usage-progress 1.2s ease-in-out infinite;
  }
  @keyframes usage-progress {
    from {
      transform: translateX(-100%);
    }
    to {
      transform: translateX(250%);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .usage-progress::after {
      animation: none;
      width: 100%;
    }
  }
  .usage-state {
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: var(--_usage-space);
    padding: calc(var(--_usage-space) * 3) var(--_usage-space);
    text-align: center;
    color: var(--_usage-color-muted);
  }
  .usage-state[role='alert'] {
    color: var(--_usage-color-danger);
  }
  .usage-state button {
    font: inherit;
    color: var(--_usage-color-text);
    background: var(--_usage-color-surface);
    border: 1px solid var(--_usage-color-border);
    border-radius: var(--_usage-radius);
    padding: calc(var(--_usage-space) / 2) calc(var(--_usage-space) * 1.5);
    cursor: pointer;
  }
  .usage-state button[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .usage-state button:focus-visible {
    outline: 2px solid var(--_usage-color-focus);
    outline-offset: 2px;
  }
`;

/**
 * The content, dimmed under a progress indicator while `loading` (the old content stays
 * in view, so the layout does not jump).
 */
export function renderLoadingFrame(loading: boolean, content: unknown): TemplateResult {
  return html`<div class="usage-loading-frame" part="loading-frame" ?data-loading=${loading}>
    ${loading ? html`<div class="usage-progress" part="progress" role="progressbar" aria-label="Loading"></div>` : nothing}
    <div class="usage-loading-content">${content}</div>
  </div>`;
}

/** Each preset as a phrase that follows "in" ("in the last 7 days"). */
export const RANGE_PRESET_PHRASES: Readonly<Record<RangePreset, string>> = {
  '24h': 'the last 24 hours',
  '7d': 'the last 7 days',
  '30d': 'the last 30 days',
  '90d': 'the last 90 days',
  'this-month': 'this month',
  'last-month': 'last month',
};

function listLabel(name: string, values: readonly string[]): string {
  const shown = values.slice(0, 3).join(', ');
  return `${name} ${values.length > 3 ? `${shown} and ${values.length - 3} more` : shown}`;
}

/**
 * The active filters in words, as a piece honours them ("storage, users u1, u2, surplus
 * pool, in the last 7 days"); the surplus chart honours only the range and the type.
 */
export function describeActiveFilters(state: UsageFilterState, piece: FilterPiece = 'table', display: { locale?: string; timeZone?: string } = {}): string {
  const parts: string[] = [];
  if (state.resourceType) parts.push(`resource type ${state.resourceType === 'ocr' ? 'OCR' : state.resourceType}`);
  if (piece !== 'surplus') {
    if (state.userIds.length) parts.push(listLabel(state.userIds.length === 1 ? 'user' : 'users', state.userIds));
    if (state.poolCategories.length) parts.push(listLabel('pool', state.poolCategories));
    if (state.ioTypes.length) parts.push(listLabel('I/O type', state.ioTypes));
    if (state.endpoints.length) parts.push(listLabel(state.endpoints.length === 1 ? 'endpoint' : 'endpoints', state.endpoints));
    const amount = (value: number) => (state.resourceType ? formatAmount(value, state.resourceType, { locale: display.locale }) : String(value));
    if (state.amountMin !== null) parts.push(`amount at least ${amount(state.amountMin)}`);
    if (state.amountMax !== null) parts.push(`amount at most ${amount(state.amountMax)}`);
  }
  if (piece === 'table' && state.requestId !== null) {
    parts.push(`request ID ${state.requestId}`);
    return [...parts, 'at any date'].join(', ');
  }
  const range = 'preset' in state.range ? `in ${RANGE_PRESET_PHRASES[state.range.preset]}` : `in ${formatRange(state.range.from, state.range.to, display)}`;
  return [...parts, range].join(', ');
}

/**
 * The empty state: says which filters left nothing to show (`subject` with its verb: "events
 * match", "consumption matches"), and what to try: a longer range, or a filter less.
 */
export function renderEmpty(state: UsageFilterState, piece: FilterPiece = 'table', subject = 'events match', display: { locale?: string; timeZone?: string } = {}): TemplateResult {
  const filters = describeActiveFilters(state, piece, display);
  // The filters come before the range ("I/O type input, in the last 7 days"); with none, the
  // subject goes without its verb ("No events in the last 24 hours"). A request ID is looked up at any date.
  const rangeOnly = filters.startsWith('in ');
  const next = filters.endsWith('at any date') ? '' : rangeOnly ? ' Try a longer date range.' : ' Remove a filter or widen the date range.';
  return html`<div class="usage-state" part="empty" role="status">No ${rangeOnly ? subject.replace(/ \S+$/, '') : subject} ${filters}.${next}</div>`;
}

/** Finds the named control that takes the focus once a retry succeeded (null while it is still under way). */
export type FocusLanding = () => HTMLElement | null | undefined;

/**
 * Calls `retry` for a click on a Retry button (or a live stream's Reconnect). The button
 * goes away while the piece asks again: when it had the focus, the piece holds it (see
 * `holdFocusUntil`) until the button that `again` finds comes back (the piece failed again)
 * or `landing` finds where it goes once the piece succeeded.
 */
export function retryKeepingFocus(event: Event, retry: () => void, again = '[part~="retry"]', landing?: FocusLanding): void {
  const button = event.currentTarget as HTMLElement;
  const root = button.getRootNode();
  const hadFocus = root instanceof ShadowRoot && root.activeElement === button;
  retry();
  if (hadFocus) holdFocusUntil(root, again, landing);
}

/**
 * For a focused control the piece is about to render away: the focus moves to the piece
 * itself (made focusable by script only, `tabindex="-1"`) rather than falling to the page's
 * body (WCAG 2.4.3), and on to the element that `selector` finds in `root`, or else that
 * `landing` returns, once it is rendered, while the piece still has the focus. The piece
 * has no role or name of its own: it only bridges the render.
 */
export function holdFocusUntil(root: ShadowRoot, selector: string, landing?: FocusLanding): void {
  const host = root.host as HTMLElement;
  if (!host.hasAttribute('tabindex')) host.setAttribute('tabindex', '-1');
  host.focus({ preventScroll: true });
  const watch = new MutationObserver(() => {
    const target = root.querySelector<HTMLElement>(selector) ?? landing?.();
    if ((host.getRootNode() as Document | ShadowRoot).activeElement !== host) watch.disconnect();
    else if (target) {
      watch.disconnect();
      target.focus();
    }
  });
  // Attributes and texts too: a landing may wait for a state (`loading` gone, a status "Live").
  watch.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
  watch.observe(host, { attributes: true });
}

/**
 * The error state: the endpoint's own message and a Retry button that calls `retry`
 * (keeping the focus, see `retryKeepingFocus`, and giving it to what `landing` finds once
 * the piece succeeded), named for a screen reader by `subject` (what failed: "Consumption
 * events: …"), since several pieces failing together would otherwise each say the same
 * words. An error that says when to ask again (a 429's `Retry-After` longer than the
 * client waits, a minute) says so, at that time in `locale` and `timeZone`, and holds Retry until then.
 * A failure that may pass (the network, the server) is retried by itself (`retryByItself`).
 */
export function renderError(
  error: { message: string; retryAfterMs?: number | undefined; code?: unknown; status?: number | undefined },
  retry: () => void,
  subject: string,
  { locale, timeZone, landing }: { locale?: string | undefined; timeZone?: string; landing?: FocusLanding } = {},
): TemplateResult {
  const { at, when } = retryHold(error, { locale, timeZone });
  return html`<div class="usage-state" part="error" role="alert">
    <span class="sr-only">${subject}:</span>
    <span part="error-message">${error.message}</span>${when}${mayPass(error) ? ' Retrying by itself.' : ''}
    <button
      type="button"
      part="retry"
      ${holdUntil(at)}
      ${mayPass(error) ? retryByItself(error, at) : nothing}
      @click=${(event: Event) => (event.currentTarget as Element).hasAttribute('aria-disabled') || retryKeepingFocus(event, retry, undefined, landing)}
    >
      Retry
    </button>
  </div>`;
}
