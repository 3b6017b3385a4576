/**
 * The live stream's status as every piece shows it (the table in its toolbar, the charts
 * in their header): a dot with "Connecting…", "Live", "Reconnecting…" or "Live updates
 * stopped: <the endpoint's message>", and, when the endpoint refused the stream, a
 * Reconnect button. Plain text, not a live region: it is read where it stands, and a
 * stream that drops and comes back does not interrupt a screen reader each time (a refusal
 * is also fired as `usage-error`, for the host to say as it sees fit).
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import type { LiveStatus } from '../api/stream.js';
import { retryKeepingFocus, type FocusLanding } from './states.js';

export const LIVE_STATUS_TEXT: Readonly<Record<LiveStatus, string>> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  failed: 'Live updates stopped',
};

export const liveStatusStyles = css`
  .live-status {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    color: var(--_usage-color-muted);
    font-size: 0.9em;
  }
  .live-status::before {
    content: '';
    flex: none;
    width: 0.55em;
    height: 0.55em;
    border-radius: 50%;
    background: currentColor;
  }
  .live-status[data-status='open'] {
    color: var(--_usage-color-input);
  }
  .live-status[data-status='failed'] {
    color: var(--_usage-color-danger);
  }
`;

/**
 * The status (part `live-status`, its state in `data-status`, with the endpoint's `failure`
 * message once it refused the stream) and then the Reconnect button (part `live-retry`,
 * with `buttonClass`), which calls `reconnect` keeping the focus (see `retryKeepingFocus`;
 * once the stream is back, it goes to what `landing` finds). Nothing when not live (`status` null).
 */
export function renderLiveStatus(
  status: LiveStatus | null,
  failure: string,
  reconnect: () => void,
  buttonClass: string,
  landing?: FocusLanding,
): TemplateResult | typeof nothing {
  if (!status) return nothing;
  return html`<span part="live-status" class="live-status" data-status=${status}>${LIVE_STATUS_TEXT[status]}${status === 'failed' ? `: ${failure}` : ''}</span>${status === 'failed'
      ? html`<button type="button" part="live-retry" class=${buttonClass} @click=${(event: Event) => retryKeepingFocus(event, reconnect, '[part~="live-retry"]', landing)}>
          Reconnect
        </button>`
      : nothing}`;
}
