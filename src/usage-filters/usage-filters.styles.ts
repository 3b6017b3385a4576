import { css } from 'lit';

/** `<usage-filters>` has no box of its own: its children lay out as if it were not there. */
export const usageFiltersStyles = css`
  :host {
    display: contents;
  }
  /* display: contents would beat the browser's own rule for [hidden]. */
  :host([hidden]) {
    display: none;
  }
`;
