/**
 * The design tokens: CSS custom properties with a light and a dark value, chosen on `:host`
 * by `theme` (`light`, `dark`, or `auto` following `prefers-color-scheme`). A piece
 * without its own `theme` takes its holder's, shown as the custom state `:state(dark)`.
 * The elements never set the public tokens themselves: `:host` sets a private twin of each
 * (`--_usage-color-accent: var(--usage-color-accent, <the theme's value>)`) and the styles
 * draw with the twins, so a token the page sets anywhere above the element (`:root`, a
 * wrapper, the element itself) reaches it, in either theme. The charts read the same twins.
 * Every text colour meets WCAG AA (4.5:1) on its surface and every graphic colour 3:1,
 * in both themes (checked by theme.test.ts).
 */
import { css, unsafeCSS, type CSSResult } from 'lit';

export type ThemeTokens = Readonly<Record<string, string>>;

const LIGHT: ThemeTokens = {
  '--usage-color-text': '#1f2328',
  '--usage-color-muted': '#57606a',
  '--usage-color-surface': '#ffffff',
  '--usage-color-border': '#8c959f',
  '--usage-color-accent': '#0862c9',
  '--usage-color-focus': '#0862c9',
  '--usage-color-allocated': '#2563eb',
  '--usage-color-surplus': '#c2410c',
  '--usage-color-hybrid': '#7c3aed',
  '--usage-color-input': '#0f766e',
  '--usage-color-output': '#a16207',
  '--usage-color-danger': '#b91c1c',
};

const LIGHT_SERIES: ThemeTokens = {
  '--usage-color-series-1': '#2563eb',
  '--usage-color-series-2': '#c2410c',
  '--usage-color-series-3': '#0f766e',
  '--usage-color-series-4': '#7c3aed',
  '--usage-color-series-5': '#be185d',
  '--usage-color-series-6': '#15803d',
  '--usage-color-series-7': '#a16207',
  '--usage-color-series-8': '#475569',
};

const DARK: ThemeTokens = {
  '--usage-color-text': '#e6edf3',
  '--usage-color-muted': '#9da7b3',
  '--usage-color-surface': '#161b22',
  '--usage-color-border': '#6e7681',
  '--usage-color-accent': '#58a6ff',
  '--usage-color-focus': '#58a6ff',
  '--usage-color-allocated': '#60a5fa',
  '--usage-color-surplus': '#fb923c',
  '--usage-color-hybrid': '#a78bfa',
  '--usage-color-input': '#2dd4bf',
  '--usage-color-output': '#fbbf24',
  '--usage-color-danger': '#f87171',
};

const DARK_SERIES: ThemeTokens = {
  '--usage-color-series-1': '#60a5fa',
  '--usage-color-series-2': '#fb923c',
  '--usage-color-series-3': '#2dd4bf',
  '--usage-color-series-4': '#a78bfa',
  '--usage-color-series-5': '#f472b6',
  '--usage-color-series-6': '#4ade80',
  '--usage-color-series-7': '#fbbf24',
  '--usage-color-series-8': '#94a3b8',
};

/** The colour tokens of each theme (the charts and the contrast test read them). */
export const THEME_TOKENS: Readonly<{ light: ThemeTokens; dark: ThemeTokens }> = {
  light: { ...LIGHT, ...LIGHT_SERIES },
  dark: { ...DARK, ...DARK_SERIES },
};

/** The tokens that are not colours: the same in both themes. */
export const SHAPE_TOKENS: ThemeTokens = {
  '--usage-font-family': "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
  '--usage-font-size': '14px',
  '--usage-radius': '6px',
  '--usage-space': '8px',
};

/** The private name an element draws with: `--usage-color-accent` → `--_usage-color-accent`. */
export const drawnToken = (name: string): string => `--_${name.slice(2)}`;

/** Each token's drawn value: the page's (set on the element or any ancestor), else the theme's. */
function declarations(tokens: ThemeTokens): CSSResult {
  return unsafeCSS(
    Object.entries(tokens)
      .map(([name, value]) => `${drawnToken(name)}: var(${name}, ${value});`)
      .join('\n'),
  );
}

/**
 * The tokens on `:host`: light unless the element (or its holder, through the custom
 * state) says `dark`, or `auto` while the system prefers dark.
 */
function themeCss(light: ThemeTokens, dark: ThemeTokens): CSSResult {
  return css`
    :host {
      ${declarations(SHAPE_TOKENS)}
      ${declarations(light)}
      color-scheme: light;
      /* Printed as shown: without its surfaces (a browser leaves backgrounds out by
         default), the dark theme's light text was all but white on white paper. */
      -webkit-print-color-adjust: exact;
      print-color-adjust: exact;
    }
    /* The element's own boxes set the text again: a page's rule that matches the element
       itself (* { line-height: 3 }) beats :host, and would pass down into all it draws. */
    :host,
    :host > * {
      color: var(--_usage-color-text);
      font-family: var(--_usage-font-family);
      font-size: var(--_usage-font-size);
      /* What a page's text settings would otherwise pass down into the element (its text is
         English, so left to right). */
      font-style: normal;
      font-weight: normal;
      line-height: normal;
      letter-spacing: normal;
      word-spacing: normal;
      text-align: start;
      text-indent: 0;
      text-transform: none;
      white-space: normal;
      direction: ltr;
    }
    :host([theme='dark']),
    :host(:state(dark)) {
      ${declarations(dark)}
      color-scheme: dark;
    }
    @media (prefers-color-scheme: dark) {
      :host([theme='auto']),
      :host(:state(auto)) {
        ${declarations(dark)}
        color-scheme: dark;
      }
    }
    :host([theme='light']) {
      ${declarations(light)}
      color-scheme: light;
    }
  `;
}

/** The theme of every element: the tokens of the design, the chart series' included. */
export const themeStyles = /* @__PURE__ */ themeCss(THEME_TOKENS.light, THEME_TOKENS.dark);

/**
 * The theme of the table and the filter bar: every token but the chart series', which
 * they do not draw (a bundle without the charts then carries no series colours).
 */
export const pieceThemeStyles = /* @__PURE__ */ themeCss(LIGHT, DARK);

/**
 * On a `<slot>` for the host's own content (the charts' `actions`): the drawn tokens under
 * their public names, so that what the page puts there and styles with the tokens (`color:
 * var(--usage-color-muted)`) matches the element's theme. Slotted content inherits from its
 * slot; a rule the page sets on its own content still wins.
 */
export function slotTokenStyles(): CSSResult {
  // A function, not a constant: a bundle without the charts leaves it and the series tokens out.
  return css`
    slot {
      ${unsafeCSS(
        Object.keys({ ...SHAPE_TOKENS, ...THEME_TOKENS.light })
          .map((name) => `${name}: var(${drawnToken(name)});`)
          .join('\n'),
      )}
    }
  `;
}
